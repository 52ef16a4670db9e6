// The run log an operator attaches to a ticket, and the journal `attach` rebuilds a run from:
// created 0600, appended line by line with synchronous writes (it survives a crash of the wizard),
// passwords masked. Installer lines, the wizard's notes and its run events share one file, so
// their order is the order they happened in.
import {closeSync, fchmodSync, mkdirSync, openSync, writeSync} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {secretMasker} from '../../domain/shared/mask-secrets.js';
import type {JournalEntry, JournalReader, RunLog, RunLogPort} from '../../workflow/ports/run-log-port.js';
import {parseJournalEvent} from './run-journal-schema.js';

export type {RunLog} from '../../workflow/ports/run-log-port.js';

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
				writeAll(
					Buffer.from(`${cut ? '\n' : ''}${new Date().toISOString()} wizard | ${lost} log line(s) could not be written (${lostCause})\n`),
				);
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
		event(event) {
			// JSON escapes line breaks, so an event is one line however odd its paths.
			write(`${new Date(event.at).toISOString()} wizard event| ${JSON.stringify(event)}\n`);
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

/** Parses a line of the log back (for `attach`); undefined for a line that is none of its forms. */
export function parseLogLine(line: string): JournalEntry | undefined {
	const match = /^\S+ (\S+) (out|err|event|)\| (.*)$/.exec(line) ?? /^\S+ (wizard) ()\| (.*)$/.exec(line);
	if (!match) {
		return undefined;
	}

	if (match[1] === 'wizard') {
		if (match[2] !== 'event') {
			return {kind: 'note', text: match[3]!};
		}

		// A line cut by a full disk (or not an event this wizard knows) is none: the next one is whole again.
		const event = parseJournalEvent(match[3]!);
		return event && {kind: 'event', event};
	}

	return {kind: 'output', stepId: match[1]!, stream: match[2] === 'out' ? 'stdout' : 'stderr', line: match[3]!};
}

const journalChunk = 4 << 20;

/** Reads a log from its start, a few MB per call, so a long run's log never sits in memory whole. */
export function openJournal(file: string): JournalReader {
	const decoder = new StringDecoder('utf8');
	let offset = 0;
	let partial = '';
	let handle: Awaited<ReturnType<typeof open>> | undefined;
	const buffer = Buffer.allocUnsafe(journalChunk);
	return {
		async read() {
			handle ??= await open(file, 'r').catch(() => undefined);
			if (!handle) {
				return {entries: [], more: false};
			}

			const {bytesRead} = await handle.read(buffer, 0, buffer.length, offset);
			offset += bytesRead;
			const lines = (partial + decoder.write(buffer.subarray(0, bytesRead))).split('\n');
			partial = lines.pop() ?? '';
			const entries = lines.map(line => parseLogLine(line)).filter((entry): entry is JournalEntry => entry !== undefined);
			return {entries, more: bytesRead === buffer.length};
		},
		async close() {
			await handle?.close();
			handle = undefined;
		},
	};
}

/** The run log port: logs written with `secrets` masked, journals read back. */
export function runLogPort(secrets: readonly string[]): RunLogPort {
	return {open: file => openRunLog(file, secrets), openJournal};
}
