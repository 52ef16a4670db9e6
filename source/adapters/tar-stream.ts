// A push-mode tar reader: bytes in, entries out, nothing written to disk. Offline packages
// nest tars three deep (package → bundle → images.tar); each level is one of these fed by
// the level above, so the whole package is walked in a single pass with constant memory.

export type TarHeader = {
	name: string;
	size: number;
	/** '0' file, '5' directory, '2' symlink, … (ustar typeflag). */
	type: string;
};

export type EntrySink = {
	data(chunk: Buffer): void;
	end(): void;
};

export class TarFormatError extends Error {
	constructor(message: string, readonly offset: number) {
		super(message);
		this.name = 'TarFormatError';
	}
}

const blockSize = 512;

function readString(block: Buffer, start: number, length: number): string {
	const end = block.indexOf(0, start);
	return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function readNumber(block: Buffer, start: number, length: number): number {
	// GNU base-256 encoding for sizes of 8 GiB and more: high bit of the first byte set.
	if ((block[start]! & 0x80) !== 0) {
		let value = block[start]! & 0x7F;
		for (let index = start + 1; index < start + length; index++) {
			value = (value * 256) + block[index]!;
		}

		return value;
	}

	const text = readString(block, start, length).trim();
	return text === '' ? 0 : Number.parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
	const stored = readNumber(block, 148, 8);
	let sum = 0;
	for (let index = 0; index < blockSize; index++) {
		sum += index >= 148 && index < 156 ? 32 : block[index]!;
	}

	return sum === stored;
}

function parsePax(text: string): Record<string, string> {
	const records: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
		if (match) {
			records[match[1]!] = match[2]!;
		}
	}

	return records;
}

export class TarStream {
	private header = Buffer.alloc(blockSize);
	private headerFill = 0;
	private remaining = 0;
	private padding = 0;
	private sink: EntrySink | undefined;
	/** Extended headers (pax `x`, GNU `L`) are collected, then applied to the next entry. */
	private meta: {kind: 'pax' | 'longname'; chunks: Buffer[]} | undefined;
	private pendingName: string | undefined;
	private pendingSize: number | undefined;
	private zeroBlocks = 0;
	private offset = 0;
	private inEntry = false;
	entries = 0;

	constructor(private readonly onEntry: (header: TarHeader) => EntrySink | undefined) {}

	/** True once the two zero blocks that close an archive were read. */
	get finished(): boolean {
		return this.zeroBlocks >= 2;
	}

	write(chunk: Buffer): void {
		let position = 0;
		while (position < chunk.length) {
			if (this.remaining > 0) {
				const take = Math.min(this.remaining, chunk.length - position);
				this.deliver(chunk.subarray(position, position + take));
				position += take;
				this.remaining -= take;
				this.offset += take;
				if (this.remaining === 0) {
					this.closeEntry();
				}

				continue;
			}

			if (this.padding > 0) {
				const take = Math.min(this.padding, chunk.length - position);
				position += take;
				this.padding -= take;
				this.offset += take;
				continue;
			}

			if (this.finished) {
				return;
			}

			const take = Math.min(blockSize - this.headerFill, chunk.length - position);
			chunk.copy(this.header, this.headerFill, position, position + take);
			this.headerFill += take;
			position += take;
			this.offset += take;
			if (this.headerFill === blockSize) {
				this.headerFill = 0;
				this.readHeader();
			}
		}
	}

	/** Throws when the archive stopped in the middle of an entry or before its end blocks. */
	end(): void {
		if (this.remaining > 0 || this.headerFill > 0 || this.inEntry) {
			throw new TarFormatError('archive ends in the middle of an entry', this.offset);
		}
	}

	private readHeader(): void {
		const block = this.header;
		if (block.every(byte => byte === 0)) {
			this.zeroBlocks++;
			return;
		}

		this.zeroBlocks = 0;
		if (!checksumMatches(block)) {
			throw new TarFormatError('tar header checksum does not match', this.offset - blockSize);
		}

		const type = String.fromCodePoint(block[156] || 48);
		const size = this.pendingSize ?? readNumber(block, 124, 12);
		this.pendingSize = undefined;
		this.remaining = size;
		this.padding = (blockSize - (size % blockSize)) % blockSize;
		if (type === 'x' || type === 'L') {
			this.meta = {kind: type === 'x' ? 'pax' : 'longname', chunks: []};
			this.inEntry = true;
			if (size === 0) {
				this.closeEntry();
			}

			return;
		}

		const prefix = block.toString('utf8', 257, 262) === 'ustar' ? readString(block, 345, 155) : '';
		const shortName = readString(block, 0, 100);
		const name = this.pendingName ?? (prefix ? `${prefix}/${shortName}` : shortName);
		this.pendingName = undefined;
		this.entries++;
		this.sink = type === 'g' ? undefined : this.onEntry({name, size, type});
		this.inEntry = true;
		if (size === 0) {
			this.closeEntry();
		}
	}

	private deliver(chunk: Buffer): void {
		if (this.meta) {
			this.meta.chunks.push(Buffer.from(chunk));
		} else {
			this.sink?.data(chunk);
		}
	}

	private closeEntry(): void {
		this.inEntry = false;
		if (this.meta) {
			const text = Buffer.concat(this.meta.chunks).toString('utf8');
			if (this.meta.kind === 'longname') {
				this.pendingName = text.replace(/\0+$/, '');
			} else {
				const pax = parsePax(text);
				this.pendingName = pax['path'] ?? this.pendingName;
				this.pendingSize = pax['size'] === undefined ? undefined : Number(pax['size']);
			}

			this.meta = undefined;
			return;
		}

		const sink = this.sink;
		this.sink = undefined;
		sink?.end();
	}
}

/** A sink that keeps an entry in memory when it is small enough, else drops it. */
export function collectSink(limit: number, onDone: (data: Buffer | undefined) => void, accept?: (first: Buffer) => boolean): EntrySink {
	const chunks: Buffer[] = [];
	let size = 0;
	let keep = true;
	let first = true;
	return {
		data(chunk) {
			if (first && accept && !accept(chunk)) {
				keep = false;
			}

			first = false;
			size += chunk.length;
			if (size > limit) {
				keep = false;
				chunks.length = 0;
			}

			if (keep) {
				chunks.push(Buffer.from(chunk));
			}
		},
		end() {
			onDone(keep ? Buffer.concat(chunks) : undefined);
		},
	};
}
