// The buffers a package is read into, and the sha512 of what was read. A big package is hashed on
// a worker thread of its own, fed the very buffers the gunzip reads (slots of one
// SharedArrayBuffer, nothing copied): the hash, the floor of an inspection, then runs on one core
// while the gunzip and the tar walk run on the other. A slot is read into again only once the
// hash and the gunzip are both done with it. A small package is hashed inline: a thread costs
// more to start than its hash takes.
import {createHash} from 'node:crypto';
import {Worker} from 'node:worker_threads';

/** Bytes per read: large reads keep the syscalls and the messages to the hash thread few. */
export const slotBytes = 2 * 1024 * 1024;
const slotCount = 4;
/** Below this a package is hashed inline (about 0.1 s of sha512): a worker takes ~30 ms to start. */
export const threadedHashFrom = 64 * 1024 * 1024;

// Plain JavaScript, evaluated by the worker: the bundle has no file of its own to hand it.
const hashThread = `
const {parentPort, workerData} = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha512');
parentPort.on('message', message => {
	if (message === 'digest') {
		parentPort.postMessage({digest: hash.digest('hex')});
		return;
	}

	hash.update(new Uint8Array(workerData.memory, message.slot * workerData.slotBytes, message.length));
	parentPort.postMessage({slot: message.slot});
});
`;

/** A slot is read into again only once it is neither being read into, hashed nor inflated. */
export type Slot = {index: number; buffer: Buffer; reading: boolean; hashing: boolean; inflating: boolean};

export type ReadRing = {
	/** A slot free to read into, once the hash and the gunzip are done with it; marked `reading`. */
	take(): Promise<Slot>;
	/** Hashes the first `length` bytes of the slot (in the order given). */
	hash(slot: Slot, length: number): void;
	/** The gunzip is done with the slot's bytes. */
	inflated(slot: Slot): void;
	/** The sha512 of everything hashed, once every slot is hashed; ends the thread. */
	digest(): Promise<string>;
	/** Ends the thread without a digest (an error or a cancel). */
	close(): Promise<void>;
};

export function createReadRing(fileSize: number): ReadRing {
	const threaded = fileSize >= threadedHashFrom;
	const memory = threaded ? new SharedArrayBuffer(slotBytes * slotCount) : undefined;
	// A small file gets small buffers (a read past its end finds the end, or what was appended since).
	const inlineBytes = Math.min(slotBytes, Math.max(64 * 1024, fileSize + 1));
	const slots: Slot[] = Array.from({length: slotCount}, (_, index) => ({
		index,
		buffer: memory ? Buffer.from(memory, index * slotBytes, slotBytes) : Buffer.allocUnsafe(inlineBytes),
		reading: false,
		hashing: false,
		inflating: false,
	}));
	const inline = threaded ? undefined : createHash('sha512');
	const worker = memory ? new Worker(hashThread, {eval: true, workerData: {memory, slotBytes}}) : undefined;
	let waiting: (() => void) | undefined;
	let failure: Error | undefined;
	let onDigest: ((digest: string) => void) | undefined;
	const wake = () => {
		const resume = waiting;
		waiting = undefined;
		resume?.();
	};

	worker?.on('message', (message: {slot?: number; digest?: string}) => {
		if (message.digest !== undefined) {
			onDigest?.(message.digest);
			return;
		}

		slots[message.slot!]!.hashing = false;
		wake();
	});
	worker?.on('error', error => {
		failure = error;
		wake();
	});

	const free = () => slots.find(slot => !slot.reading && !slot.hashing && !slot.inflating);
	const ring: ReadRing = {
		async take() {
			for (;;) {
				if (failure) {
					throw failure;
				}

				const slot = free();
				if (slot) {
					slot.reading = true;
					return slot;
				}

				await new Promise<void>(resolve => {
					waiting = resolve;
				});
			}
		},
		hash(slot, length) {
			if (inline) {
				inline.update(slot.buffer.subarray(0, length));
				return;
			}

			slot.hashing = true;
			worker!.postMessage({slot: slot.index, length});
		},
		inflated(slot) {
			slot.inflating = false;
			wake();
		},
		async digest() {
			if (inline) {
				return inline.digest('hex');
			}

			const digest = new Promise<string>(resolve => {
				onDigest = resolve;
			});
			// Messages arrive in order: the digest follows every slot posted before it.
			worker!.postMessage('digest');
			const value = await digest;
			await worker!.terminate();
			return value;
		},
		async close() {
			await worker?.terminate();
		},
	};
	return ring;
}
