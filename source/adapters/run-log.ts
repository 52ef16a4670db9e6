// The run log an operator attaches to a ticket: created 0600, appended line by line with
// synchronous writes (it survives a crash of the wizard), passwords masked.
import {closeSync, fchmodSync, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import {secretMasker} from '../domain/mask-secrets.js';

export type RunLog = {
	path: string;
	/** Installer output of one step, one batch per chunk read. */
	output(stepId: string, stream: 'stdout' | 'stderr', lines: string[]): void;
	/** The wizard's own notes: steps, config writes, cleanups, results. */
	note(text: string): void;
	close(): void;
};

export function openRunLog(file: string, secrets: readonly string[]): RunLog {
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const fd = openSync(file, 'a', 0o600);
	fchmodSync(fd, 0o600);
	const mask = secretMasker(secrets);
	// The installer may fill the disk the log lives on: a write that fails must not crash the run.
	// Lines are counted instead, and the count is written once the log can be written again.
	let lost = 0;
	let lostCause = '';
	let cut = false; // A failed write left a line without its end.
	let closed = false;
	const writeAll = (data: Buffer) => {
		let offset = 0;
		while (offset < data.length) {
			try {
				offset += writeSync(fd, data, offset);
			} catch (error) {
				cut ||= offset > 0;
				throw error;
			}
		}
	};

	const write = (text: string, lines = 1) => {
		if (closed) {
			return;
		}

		try {
			if (lost > 0) {
				writeAll(Buffer.from(`${cut ? '\n' : ''}${new Date().toISOString()} wizard | ${lost} log line(s) could not be written (${lostCause})\n`));
				lost = 0;
				cut = false;
			}

			writeAll(Buffer.from(mask(text)));
		} catch (error) {
			lost += lines;
			lostCause = (error as NodeJS.ErrnoException).code ?? String(error);
		}
	};

	return {
		path: file,
		output(stepId, stream, lines) {
			if (lines.length === 0) {
				return;
			}

			const prefix = `${new Date().toISOString()} ${stepId} ${stream === 'stdout' ? 'out' : 'err'}| `;
			write(lines.map(line => prefix + line).join('\n') + '\n', lines.length);
		},
		note(text) {
			// One note, one line: a path with a line break in it must not split the record.
			write(`${new Date().toISOString()} wizard | ${text.replaceAll('\r', String.raw`\r`).replaceAll('\n', String.raw`\n`)}\n`);
		},
		close() {
			if (!closed) {
				closed = true;
				closeSync(fd);
			}
		},
	};
}

/** `<logs>/run-20261125-113402.log`, sortable and unique per second. */
export function defaultLogPath(logsDirectory: string, now = new Date()): string {
	// Milliseconds too: two runs in one second (a quick retry, a script) must not share a log,
	// or `attach` would replay the first run's lines as the second's.
	const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
	return path.join(logsDirectory, `run-${stamp}.log`);
}

/** Parses a line written by `output` back (for `attach`). */
export function parseLogLine(line: string): {stepId: string; stream: 'stdout' | 'stderr'; text: string} | {note: string} | undefined {
	const match = /^\S+ (\S+) (out|err|)\| (.*)$/.exec(line) ?? /^\S+ (wizard) ()\| (.*)$/.exec(line);
	if (!match) {
		return undefined;
	}

	if (match[1] === 'wizard') {
		return {note: match[3]!};
	}

	return {stepId: match[1]!, stream: match[2] === 'out' ? 'stdout' : 'stderr', text: match[3]!};
}
