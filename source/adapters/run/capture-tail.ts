// Reads a file another process is still appending to (the installer's capture files), a bounded
// amount per call: complete lines out, UTF-8 kept whole across reads, CRLF trimmed, and a line
// longer than maxLineBytes cut so one newline-less flood cannot take the wizard's memory.
// The live run and `attach` both read installer output through this one reader.
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {cutNotice, maxLineBytes} from '../../domain/shared/sanitize-output.js';
import type {CaptureReader, OpenCapture} from '../../workflow/ports/capture-port.js';

const chunkBytes = 1 << 20;
/** Per read() call: a flood is worked off in steps, so the screen keeps drawing meanwhile. */
const readBudget = 4 << 20;

export type LineSplitter = {push(text: string): void; flush(): void};

/** Splits decoded text into lines; `skip` lines at the start are dropped (already delivered elsewhere). */
export function lineSplitter(emit: (lines: string[]) => void, skipLines = 0): LineSplitter {
	let partial = '';
	let cutBytes = 0;
	let skip = skipLines;
	const deliver = (lines: string[]) => {
		if (skip > 0) {
			const dropped = Math.min(skip, lines.length);
			skip -= dropped;
			lines = lines.slice(dropped);
		}

		if (lines.length > 0) {
			emit(lines);
		}
	};

	const capped = (line: string, alreadyCut: number) => {
		let cut = alreadyCut;
		let kept = line;
		if (kept.length > maxLineBytes) {
			cut += Buffer.byteLength(kept.slice(maxLineBytes));
			kept = kept.slice(0, maxLineBytes);
		}

		return cut > 0 ? kept + cutNotice(cut) : kept;
	};

	return {
		push(chunk) {
			const text = partial + chunk;
			// A plain split is several times faster than a regex one on a flood of output.
			const parts = text.split('\n');
			partial = parts.pop() ?? '';
			for (let index = 0; index < parts.length; index++) {
				let part = parts[index]!;
				if (part.endsWith('\r')) {
					part = part.slice(0, -1);
				}

				parts[index] = part.length > maxLineBytes || (index === 0 && cutBytes > 0) ? capped(part, index === 0 ? cutBytes : 0) : part;
			}

			if (parts.length > 0) {
				cutBytes = 0;
			}

			if (partial.length > maxLineBytes) {
				cutBytes += Buffer.byteLength(partial.slice(maxLineBytes));
				partial = partial.slice(0, maxLineBytes);
			}

			deliver(parts);
		},
		flush() {
			if (partial || cutBytes > 0) {
				const last = capped(partial, cutBytes);
				partial = '';
				cutBytes = 0;
				deliver([last]);
			}
		},
	};
}

export const openCaptureReader: OpenCapture = (file, _stream, onLines, options = {}) => {
	const fd = openSync(file, 'r');
	const buffer = Buffer.allocUnsafe(chunkBytes);
	// A read may end inside a multi-byte character (the installer prints Chinese); keep it whole.
	const decoder = new StringDecoder('utf8');
	const lines = lineSplitter(onLines, options.skipLines);
	let offset = 0;
	let closed = false;
	const read = (budget = readBudget): boolean => {
		let taken = 0;
		while (!closed && taken < budget) {
			const count = readSync(fd, buffer, 0, buffer.length, offset);
			if (count === 0) {
				return false;
			}

			offset += count;
			taken += count;
			lines.push(decoder.write(buffer.subarray(0, count)));
		}

		return !closed;
	};

	const reader: CaptureReader = {
		read: () => read(),
		written: () => (closed ? offset : fstatSync(fd).size),
		async finish() {
			// What is left of a flood is still worked off a few MB per turn: read in one go, seconds
			// of backlog would freeze the screen until the last line.
			while (read()) {
				await new Promise(resolve => {
					setTimeout(resolve, 0);
				});
			}

			lines.push(decoder.end());
			lines.flush();
			closed = true;
			closeSync(fd);
		},
	};
	return reader;
};
