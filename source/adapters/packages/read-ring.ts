// The buffers a package is read into, and the sha512 of what was read. A big package is hashed on
// a worker thread of its own, fed the very buffers the gunzip reads (slots of one
// SharedArrayBuffer, nothing copied): the hash, the floor of an inspection, then runs on one core
// while the gunzip and the tar walk run on the other. The slots are used in turn, and one is read
// into again only once the hash and the gunzip are both done with it. The two threads signal each
// other through shared counters (Atomics), not messages: the hash thread never waits for an event
// loop, and posting a slot costs no copy and no wake-up of a loop that is busy. A small package is
// hashed inline: a thread costs more to start than its hash takes.
import {createHash} from 'node:crypto';
import {Worker} from 'node:worker_threads';

/** Bytes per read: large reads keep the syscalls and the hand-overs to the hash thread few. */
export const slotBytes = 2 * 1024 * 1024;
const slotCount = 4;
/** Below this a package is hashed inline (about 0.1 s of sha512): a worker takes ~30 ms to start. */
export const threadedHashFrom = 64 * 1024 * 1024;

// The shared counters: slots handed to the hash (with the end flag), slots hashed, then each slot's length.
const posted = 0;
const hashed = 1;
const lengths = 2;
/** Set in `posted` once no slot follows: the hash thread then sends the digest and ends. */
const endFlag = 1 << 30;

type AsyncWait = {async: false; value: 'not-equal' | 'timed-out'} | {async: true; value: Promise<'ok' | 'timed-out'>};
/** Atomics.waitAsync (Node 16 and later), which TypeScript's ES2022 library does not declare. */
const waitAsync = (Atomics as unknown as {waitAsync(array: Int32Array, index: number, value: number): AsyncWait}).waitAsync.bind(Atomics);

// Plain JavaScript, evaluated by the worker: the bundle has no file of its own to hand it. It hashes
// slot after slot as `posted` grows, and sleeps in Atomics.wait while it does not.
const hashThread = `
const {parentPort, workerData} = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha512');
const {memory, control, slotBytes, slotCount} = workerData;
const counters = new Int32Array(control);
for (let next = 0; ; ) {
	const state = Atomics.load(counters, ${posted});
	if ((state & ~${endFlag}) > next) {
		const slot = next % slotCount;
		hash.update(new Uint8Array(memory, slot * slotBytes, counters[${lengths} + slot]));
		Atomics.store(counters, ${hashed}, ++next);
		Atomics.notify(counters, ${hashed});
	} else if (state & ${endFlag}) {
		parentPort.postMessage(hash.digest('hex'));
		break;
	} else {
		Atomics.wait(counters, ${posted}, state);
	}
}
`;

export type Slot = {index: number; buffer: Buffer; inflating: boolean};

export type ReadRing = {
	/** The next slot, once the hash and the gunzip are done with what it held. */
	take(): Promise<Slot>;
	/** Hashes the first `length` bytes of the slot; slots are hashed in the order they were taken. */
	hash(slot: Slot, length: number): void;
	/** The gunzip is done with the slot's bytes. */
	inflated(slot: Slot): void;
	/** The sha512 of everything hashed, once every slot is hashed; the thread then ends. */
	digest(): Promise<string>;
	/** Ends the thread, if the digest did not already (an error, a cancel, or no read at all). */
	close(): Promise<void>;
};

export function createReadRing(fileSize: number): ReadRing {
	const threaded = fileSize >= threadedHashFrom;
	const memory = threaded ? new SharedArrayBuffer(slotBytes * slotCount) : undefined;
	const counters = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (lengths + slotCount)));
	// A small file gets small buffers (a read past its end finds the end, or what was appended since).
	const inlineBytes = Math.min(slotBytes, Math.max(64 * 1024, fileSize + 1));
	const slots: Slot[] = Array.from({length: slotCount}, (_, index) => ({
		index,
		buffer: memory ? Buffer.from(memory, index * slotBytes, slotBytes) : Buffer.allocUnsafe(inlineBytes),
		inflating: false,
	}));
	const inline = threaded ? undefined : createHash('sha512');
	const worker = memory
		? new Worker(hashThread, {eval: true, workerData: {memory, control: counters.buffer, slotBytes, slotCount}})
		: undefined;
	let taken = 0;
	let digested = false;
	let failure: Error | undefined;
	let inflatedOne: (() => void) | undefined;
	const digest = new Promise<string>((resolve, reject) => {
		worker?.once('message', (value: string) => {
			// The thread ends by itself once it sent the digest.
			digested = true;
			resolve(value);
		});
		worker?.once('error', error => {
			failure = error;
			reject(error);
			// Wakes a take() that waits on the hash counter.
			Atomics.notify(counters, hashed);
			inflatedOne?.();
		});
	});
	// Only digest() awaits it; an error is also thrown from take().
	digest.catch(() => undefined);
	const end = () => {
		Atomics.or(counters, posted, endFlag);
		Atomics.notify(counters, posted);
	};

	return {
		async take() {
			const slot = slots[taken % slotCount]!;
			for (;;) {
				if (failure) {
					throw failure;
				}

				if (slot.inflating) {
					await new Promise<void>(resolve => {
						inflatedOne = resolve;
					});
					continue;
				}

				// The slot's last use was slot number `taken - slotCount`: it is free once that was hashed.
				const done = Atomics.load(counters, hashed);
				if (done > taken - slotCount) {
					break;
				}

				const wait = waitAsync(counters, hashed, done);
				if (wait.async) {
					await wait.value;
				}
			}

			taken++;
			return slot;
		},
		hash(slot, length) {
			if (inline) {
				inline.update(slot.buffer.subarray(0, length));
				Atomics.add(counters, hashed, 1);
				return;
			}

			counters[lengths + slot.index] = length;
			// The length is written before the count that publishes it (Atomics orders the two).
			Atomics.add(counters, posted, 1);
			Atomics.notify(counters, posted);
		},
		inflated(slot) {
			slot.inflating = false;
			const resume = inflatedOne;
			inflatedOne = undefined;
			resume?.();
		},
		async digest() {
			if (inline) {
				return inline.digest('hex');
			}

			end();
			return digest;
		},
		async close() {
			if (worker && !digested) {
				end();
				await worker.terminate();
			}
		},
	};
}
