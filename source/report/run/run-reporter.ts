// Renders run events without Ink: plain lines for people reading a scripted run, or one JSON
// RunEvent line per event for machines (the v1 contract, never the internal event). Output is batched so a flood of installer lines stays cheap.
import type {RunEvent} from '../../domain/run/run-events.js';
import type {Io} from '../io.js';
import {toPublicRunEvent} from '../contract/run-event.js';
import {initialPlainMemory, wordPlain, type PlainSettings} from './plain-run-lines.js';

export type Reporter = {
	report(event: RunEvent): void;
	/** Writes what is buffered; call before printing anything else. */
	flush(): void;
};

function batched(io: Io): {write(text: string): void; flush(): void} {
	let buffer = '';
	let timer: NodeJS.Timeout | undefined;
	const flush = () => {
		if (timer) {
			clearTimeout(timer);
			timer = undefined;
		}

		if (buffer) {
			const text = buffer;
			buffer = '';
			io.stdout(text);
		}
	};

	return {
		write(text) {
			buffer += text;
			if (buffer.length > 1 << 16) {
				flush();
			} else {
				timer ??= setTimeout(flush, 50);
			}
		},
		flush,
	};
}

export function createJsonReporter(io: Io): Reporter {
	const out = batched(io);
	return {report: event => out.write(`${JSON.stringify(toPublicRunEvent(event))}\n`), flush: out.flush};
}

export type PlainReporterOptions = {
	progressEveryMs?: number;
	/**
	 * Installer lines shown per second at most (a person's terminal); the rest are counted and named,
	 * they are all in the log. Unset: every line (a script capturing the output).
	 */
	linesPerSecond?: number;
};

export function createPlainReporter(io: Io, options: PlainReporterOptions = {}): Reporter {
	const out = batched(io);
	const settings: PlainSettings = {progressEveryMs: options.progressEveryMs ?? 5000, linesPerSecond: options.linesPerSecond};
	let memory = initialPlainMemory;
	return {
		flush: out.flush,
		report(event) {
			const said = wordPlain(event, memory, settings);
			memory = said.memory;
			for (const line of said.lines) {
				out.write(`${line}\n`);
			}
		},
	};
}
