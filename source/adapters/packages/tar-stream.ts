// A push-mode tar reader: bytes in, entries out, nothing written to disk. Offline packages
// nest tars three deep (package → bundle → images.tar); each level is one of these fed by
// the level above, so the whole package is walked in a single pass with constant memory.
// It reads what GNU tar writes (gnu, oldgnu, posix/pax, ustar, v7, incremental dumps), Python's
// tarfile and `git archive`; test/adapters/tar-stream-conformance.test.ts holds it to `tar -tv`.
// A sink may return a promise (a nested gunzip that must drain): the stream then waits for it
// before it reads on, so a slow inner level holds the outer ones back instead of piling up bytes.

export type TarHeader = {
	name: string;
	size: number;
	/** Ustar typeflag: '0' file, '5' directory, '2' symlink, '1' hard link, '3'/'4' devices, '6' FIFO, 'D' GNU dump dir. */
	type: string;
	/** Target of a symlink or hard link ('' for other entries). */
	linkName: string;
	/**
	 * The file's size once unpacked, when it is stored sparse (GNU type 'S', or pax GNU.sparse.*):
	 * `size` then counts only the stored data, and the holes take disk space on a filesystem
	 * without them.
	 */
	apparentSize?: number;
};

export type EntrySink = {
	/** The chunk is the caller's again once this returns (or its promise settles): copy what is kept. */
	data(chunk: Buffer): void | Promise<void>;
	end(): void | Promise<void>;
};

export class TarFormatError extends Error {
	constructor(
		message: string,
		readonly offset: number,
	) {
		super(message);
		this.name = 'TarFormatError';
	}
}

const blockSize = 512;
/** Extended headers (pax `x`/`g`, GNU `L`/`K`) hold a path or a few records; more is hostile. */
export const extendedHeaderLimit = 1024 * 1024;
const extendedTypes = new Set(['x', 'g', 'L', 'K']);
const posixMagic = Buffer.from('ustar\u0000', 'latin1');

function readString(block: Buffer, start: number, length: number): string {
	const end = block.indexOf(0, start);
	return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function readNumber(block: Buffer, start: number, length: number, offset: number): number {
	// GNU base-256: high bit of the first byte set (sizes of 8 GiB and more).
	if ((block[start]! & 0x80) !== 0) {
		if ((block[start]! & 0x40) !== 0) {
			throw new TarFormatError('tar header holds a negative number', offset);
		}

		let value = block[start]! & 0x3f;
		for (let index = start + 1; index < start + length; index++) {
			value = value * 256 + block[index]!;
		}

		return value;
	}

	const text = block
		.toString('latin1', start, start + length)
		.replace(/\0.*$/s, '')
		.trim();
	if (text === '') {
		return 0;
	}

	if (!/^[0-7]+$/.test(text)) {
		throw new TarFormatError(`tar header holds "${text}" where an octal number belongs`, offset);
	}

	return Number.parseInt(text, 8);
}

/** POSIX asks for an unsigned sum; some old writers used signed chars, so both are accepted. */
function checksumMatches(block: Buffer, offset: number): boolean {
	const stored = readNumber(block, 148, 8, offset);
	let unsigned = 0;
	let signed = 0;
	for (let index = 0; index < blockSize; index++) {
		const byte = index >= 148 && index < 156 ? 32 : block[index]!;
		unsigned += byte;
		signed += byte > 127 ? byte - 256 : byte;
	}

	return stored === unsigned || stored === signed;
}

/** Pax records are `<length> <key>=<value>\n`, where length counts the whole record: values may hold newlines. */
export function parsePaxRecords(data: Buffer): Record<string, string> {
	const records: Record<string, string> = {};
	let position = 0;
	while (position < data.length) {
		const space = data.indexOf(0x20, position);
		const length = space === -1 ? Number.NaN : Number(data.toString('latin1', position, space));
		if (!Number.isSafeInteger(length) || length <= space - position || position + length > data.length) {
			break;
		}

		const record = data.toString('utf8', space + 1, position + length - 1);
		const equals = record.indexOf('=');
		if (equals > 0) {
			records[record.slice(0, equals)] = record.slice(equals + 1);
		}

		position += length;
	}

	return records;
}

type Pending = {longName?: string; longLink?: string; pax?: Record<string, string>};

function entryName(block: Buffer, pending: Pending): string {
	// A pax sparse file (GNU formats 0.1 and 1.0) is stored as GNUSparseFile.N/name; its real name is here.
	const paxName = pending.pax?.['GNU.sparse.name'] ?? pending.pax?.['path'];
	if (paxName !== undefined) {
		return paxName;
	}

	if (pending.longName !== undefined) {
		return pending.longName;
	}

	// Only POSIX ustar ("ustar\0") has a prefix field; GNU ("ustar  \0") keeps atime/ctime there.
	const prefix = block.subarray(257, 263).equals(posixMagic) ? readString(block, 345, 155) : '';
	const name = readString(block, 0, 100);
	return prefix ? `${prefix}/${name}` : name;
}

function entryType(block: Buffer, name: string): string {
	const flag = block[156] === 0 ? '0' : String.fromCodePoint(block[156]!);
	// Pre-POSIX archives mark a directory only by the slash that ends its name.
	return (flag === '0' || flag === '7') && name.endsWith('/') ? '5' : flag;
}

/** The unpacked size of a sparse entry: GNU 'S' keeps it in the old GNU header, pax in GNU.sparse.realsize (1.0) or .size (0.x). */
function sparseSize(block: Buffer, flag: string, pax: Record<string, string> | undefined, offset: number): number | undefined {
	const text = pax?.['GNU.sparse.realsize'] ?? pax?.['GNU.sparse.size'];
	if (text !== undefined) {
		return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
	}

	return flag === 'S' ? readNumber(block, 483, 12, offset) : undefined;
}

/** A value, or a promise of it when a sink asked the stream to wait. */
type Step = number | Promise<number>;

const after = (pending: void | Promise<void>, next: () => void | Promise<void>): void | Promise<void> =>
	pending ? pending.then(next) : next();

export class TarStream {
	private header = Buffer.alloc(blockSize);
	private headerFill = 0;
	private remaining = 0;
	private padding = 0;
	private sink: EntrySink | undefined;
	/** An extended header being collected; applied to the next entry. */
	private meta: {type: string; chunks: Buffer[]} | undefined;
	private pending: Pending = {};
	private zeroBlocks = 0;
	private inEntry = false;
	/** A GNU 'S' header whose sparse map goes on in extension blocks: the entry opens after the last. */
	private sparseMapGoesOn: {header: TarHeader; size: number} | undefined;
	/** Bytes of this archive consumed so far. */
	offset = 0;
	entries = 0;

	constructor(private readonly onEntry: (header: TarHeader) => EntrySink | undefined) {}

	/** True once the two zero blocks that close an archive were read. */
	get finished(): boolean {
		return this.zeroBlocks >= 2;
	}

	write(chunk: Buffer): void | Promise<void> {
		let position = 0;
		while (position < chunk.length) {
			const next = this.step(chunk, position);
			if (typeof next !== 'number') {
				return next.then(resumeAt => (resumeAt < chunk.length ? this.write(chunk.subarray(resumeAt)) : undefined));
			}

			position = next;
		}
	}

	/** Throws when the archive stopped in the middle of an entry. */
	end(): void {
		if (this.remaining > 0 || this.headerFill > 0 || this.inEntry || this.sparseMapGoesOn) {
			throw new TarFormatError('archive ends in the middle of an entry', this.offset);
		}
	}

	private step(chunk: Buffer, position: number): Step {
		if (this.remaining > 0) {
			const take = Math.min(this.remaining, chunk.length - position);
			this.remaining -= take;
			this.offset += take;
			const delivered = this.deliver(chunk.subarray(position, position + take));
			const done = this.remaining === 0 ? after(delivered, () => this.closeEntry()) : delivered;
			return done ? done.then(() => position + take) : position + take;
		}

		if (this.padding > 0) {
			const take = Math.min(this.padding, chunk.length - position);
			this.padding -= take;
			this.offset += take;
			return position + take;
		}

		if (this.finished) {
			// What follows the end blocks is not part of the archive.
			this.offset += chunk.length - position;
			return chunk.length;
		}

		const take = Math.min(blockSize - this.headerFill, chunk.length - position);
		chunk.copy(this.header, this.headerFill, position, position + take);
		this.headerFill += take;
		this.offset += take;
		if (this.headerFill < blockSize) {
			return position + take;
		}

		this.headerFill = 0;
		const opened = this.readHeader();
		return opened ? opened.then(() => position + take) : position + take;
	}

	private readHeader(): void | Promise<void> {
		const block = this.header;
		const at = this.offset - blockSize;
		const sparse = this.sparseMapGoesOn;
		if (sparse) {
			// An extension block of a GNU sparse map (21 entries, then "is extended" at byte 504).
			if (block[504] === 0) {
				this.sparseMapGoesOn = undefined;
				return this.begin(sparse.header, sparse.size);
			}

			return;
		}

		if (block.every(byte => byte === 0)) {
			this.zeroBlocks++;
			return;
		}

		this.zeroBlocks = 0;
		if (!checksumMatches(block, at)) {
			throw new TarFormatError('tar header checksum does not match', at);
		}

		const headerSize = readNumber(block, 124, 12, at);
		const flag = block[156] === 0 ? '0' : String.fromCodePoint(block[156]!);
		if (extendedTypes.has(flag)) {
			if (headerSize > extendedHeaderLimit) {
				throw new TarFormatError(`extended header of ${headerSize} bytes (the cap is ${extendedHeaderLimit})`, at);
			}

			this.meta = {type: flag, chunks: []};
			return this.open(headerSize);
		}

		const pending = this.pending;
		this.pending = {};
		const name = entryName(block, pending);
		const type = entryType(block, name);
		const paxSize = pending.pax?.['size'];
		const size = paxSize !== undefined && /^\d+$/.test(paxSize) ? Number(paxSize) : headerSize;
		if (!Number.isSafeInteger(size)) {
			throw new TarFormatError(`entry size ${paxSize ?? headerSize} is not a usable number`, at);
		}

		const linkName = pending.pax?.['linkpath'] ?? pending.longLink ?? readString(block, 157, 100);
		const apparentSize = sparseSize(block, flag, pending.pax, at);
		const header: TarHeader = apparentSize === undefined ? {name, size, type, linkName} : {name, size, type, linkName, apparentSize};
		if (flag === 'S' && block[482] !== 0) {
			this.sparseMapGoesOn = {header, size};
			return;
		}

		return this.begin(header, size);
	}

	private begin(header: TarHeader, size: number): void | Promise<void> {
		this.entries++;
		this.sink = this.onEntry(header);
		// GNU tar reads no data after a directory header, whatever its size field says.
		return this.open(header.type === '5' ? 0 : size);
	}

	private open(size: number): void | Promise<void> {
		this.remaining = size;
		this.padding = (blockSize - (size % blockSize)) % blockSize;
		this.inEntry = true;
		return size === 0 ? this.closeEntry() : undefined;
	}

	private deliver(chunk: Buffer): void | Promise<void> {
		if (this.meta) {
			this.meta.chunks.push(Buffer.from(chunk));
			return;
		}

		return this.sink?.data(chunk);
	}

	private closeEntry(): void | Promise<void> {
		this.inEntry = false;
		const meta = this.meta;
		if (meta) {
			this.meta = undefined;
			const data = Buffer.concat(meta.chunks);
			const text = () => data.toString('utf8').replace(/\0+$/, '');
			if (meta.type === 'L') {
				this.pending.longName = text();
			} else if (meta.type === 'K') {
				this.pending.longLink = text();
			} else if (meta.type === 'x') {
				this.pending.pax = {...this.pending.pax, ...parsePaxRecords(data)};
			}

			// Global pax headers (`g`, git archive's commit id) name no entry and change none we read.
			return;
		}

		const sink = this.sink;
		this.sink = undefined;
		return sink?.end();
	}
}

/** What a capped collector saw: the bytes when they fit, else how many there were. */
export type Collected = {data: Buffer; overflowBytes?: undefined} | {data?: undefined; overflowBytes: number};

/** A sink that keeps an entry in memory up to `limit` bytes; past it, keeps nothing and says so. */
export function collectSink(limit: number, onDone: (collected: Collected) => void): EntrySink {
	const chunks: Buffer[] = [];
	let size = 0;
	return {
		data(chunk) {
			size += chunk.length;
			if (size > limit) {
				chunks.length = 0;
				return;
			}

			chunks.push(Buffer.from(chunk));
		},
		end() {
			onDone(size > limit ? {overflowBytes: size} : {data: Buffer.concat(chunks)});
		},
	};
}
