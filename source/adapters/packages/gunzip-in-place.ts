// The package's own gzip, inflated on the calling thread into ONE output buffer used again and
// again. zlib's stream allocates a fresh chunk for every piece it pushes: for a 1 GB package that
// is a gigabyte of new pages (page faults, then a garbage collector chasing the external memory),
// about as much CPU as the inflation itself, taken from the core the hash needs. Here the consumer
// is handed each piece and must be done with it when it returns (or its promise settles); what it
// keeps it copies. This drives the zlib handle the way Node's own synchronous zlib calls do
// (`handle.writeSync` and the stream's write state, as minizlib does): the same C++ inflate, the
// same multi-member gzip, the same errors (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a cut-off stream).
import {constants, createGunzip} from 'node:zlib';

/** Bytes inflated per call: fits a core's cache, and the consumer sees few enough pieces. */
export const inflateBytes = 256 * 1024;

type ZlibHandle = {
	writeSync(
		flush: number,
		input: Uint8Array,
		inOffset: number,
		inLength: number,
		output: Uint8Array,
		outOffset: number,
		outLength: number,
	): void;
};

/** The parts of Node's zlib stream this drives; present on every Node this program runs on (20 and later). */
type ZlibInternals = {_handle: ZlibHandle | null; _writeState: Uint32Array};

const empty = Buffer.alloc(0);

export class GunzipInPlace {
	private readonly stream = createGunzip();
	private readonly internals = this.stream as unknown as ZlibInternals;
	private readonly output = Buffer.allocUnsafe(inflateBytes);

	constructor(private readonly onData: (chunk: Buffer) => void | Promise<void>) {
		// The stream also reports a failure as an event, a tick later; the failure is thrown from write() instead.
		this.stream.on('error', () => undefined);
		if (typeof this.internals._handle?.writeSync !== 'function' || !(this.internals._writeState instanceof Uint32Array)) {
			throw new TypeError('This Node has no zlib handle to inflate in place; run addon-wizard with Node 20 or later.');
		}
	}

	/** Inflates `input`, handing the consumer each piece in order; settles once all of it was taken. */
	async write(input: Buffer): Promise<void> {
		await this.inflate(input, constants.Z_NO_FLUSH);
	}

	/** The end of the input: throws `Z_BUF_ERROR` when the gzip stream stops short of its end. */
	async end(): Promise<void> {
		await this.inflate(empty, constants.Z_FINISH);
		this.stream.close();
	}

	destroy(): void {
		this.stream.destroy();
	}

	private async inflate(input: Buffer, flush: number): Promise<void> {
		const state = this.internals._writeState;
		let offset = 0;
		let length = input.length;
		for (;;) {
			const handle = this.internals._handle;
			if (handle === null) {
				throw this.stream.errored ?? new Error('the gunzip was closed');
			}

			handle.writeSync(flush, input, offset, length, this.output, 0, this.output.length);
			if (this.stream.errored) {
				throw this.stream.errored;
			}

			const outputLeft = state[0]!;
			const inputLeft = state[1]!;
			offset += length - inputLeft;
			length = inputLeft;
			const inflated = this.output.length - outputLeft;
			if (inflated > 0) {
				const pending = this.onData(this.output.subarray(0, inflated));
				if (pending) {
					await pending;
				}
			}

			// zlib stops when the input is used up or the output is full; only a full output means more.
			if (outputLeft !== 0) {
				return;
			}
		}
	}
}
