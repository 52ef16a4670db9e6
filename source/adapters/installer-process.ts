// Runs one installer step as a child in its own process group: argv only (never a shell),
// stdin closed. Its stdout and stderr go straight into two private capture files that the wizard
// tails: the installer never waits for the wizard to read (a flood of output costs it what
// writing to a file costs it anyway, docs/benchmarks.md), and never gets SIGPIPE mid-import if
// the wizard dies.
import {randomBytes} from 'node:crypto';
import {closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {execa} from 'execa';
import {afterRead, burstPollMs, initialPacing, pace} from './output-pacing.js';
import {isAlive} from './process-alive.js';
import {whyNotExecutable} from './why-not-executable.js';

export type ProcessExit = {
	exitCode?: number;
	signal?: string;
	spawnError?: string;
	/** Why the kernel would not run the file, when that is known (e.g. `an aarch64 binary on this x64 machine`). */
	spawnDetail?: string;
};

export type InstallerProcess = {
	pid?: number;
	/** Where its output lands first; `attach` reads them if the wizard that started it dies. */
	capture?: {stdout: string; stderr: string};
	/** SIGINT to the group, then SIGTERM, then SIGKILL, each after `graceMs`; resolves when it has exited. */
	stop(): Promise<void>;
	exited: Promise<ProcessExit>;
};

export type SpawnOptions = {
	argv: string[];
	cwd: string;
	env?: Record<string, string | undefined>;
	/** Complete lines, in batches as they arrive (one batch per chunk read from a capture file). */
	onLines(stream: 'stdout' | 'stderr', lines: string[]): void;
	graceMs: number;
	/**
	 * Private folder for the capture files (created 0700; the files are 0600 and removed once read to
	 * the end). They hold the output unmasked, so they belong in the user's state directory.
	 */
	captureDir?: string;
	/** How often the capture files are read while the installer runs. */
	pollMs?: number;
};

function lineSplitter(emit: (lines: string[]) => void) {
	let partial = '';
	return {
		push(chunk: string) {
			const text = partial + chunk;
			// A plain split is several times faster than a regex one on a flood of output;
			// CRLF endings (rare) are trimmed after.
			const parts = text.split('\n');
			partial = parts.pop() ?? '';
			if (text.includes('\r')) {
				for (let index = 0; index < parts.length; index++) {
					if (parts[index]!.endsWith('\r')) {
						parts[index] = parts[index]!.slice(0, -1);
					}
				}
			}

			if (parts.length > 0) {
				emit(parts);
			}
		},
		flush() {
			if (partial) {
				emit([partial]);
				partial = '';
			}
		},
	};
}

/** execa hands any open descriptor to the child as is; its types only spell out 3 to 9. */
const fileDescriptor = (fd: number) => fd as 3;

type Capture = {
	out: {path: string; fd: number};
	err: {path: string; fd: number};
	closeWriters(): void;
	remove(): void;
};

/** A day without output: no installer of ours is that quiet while it runs. */
const staleCaptureMs = 24 * 60 * 60 * 1000;

/**
 * Capture files of a wizard that died mid-run were never read to the end; they go at a later
 * start. Not while they may still grow: the installer outlives its wizard, and `attach` reads them.
 */
function removeStaleCaptures(dir: string): void {
	for (const name of readdirSync(dir)) {
		const owner = /^installer-(\d+)-[\da-f]+\.(out|err)$/.exec(name)?.[1];
		const file = path.join(dir, name);
		if (owner && !isAlive(Number(owner)) && Date.now() - (statSync(file, {throwIfNoEntry: false})?.mtimeMs ?? 0) > staleCaptureMs) {
			rmSync(file, {force: true});
		}
	}
}

function openCapture(dir: string): Capture {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	removeStaleCaptures(dir);
	const stem = path.join(dir, `installer-${process.pid}-${randomBytes(6).toString('hex')}`);
	// `wx`: never follow or reuse a file someone placed there.
	const open = (suffix: string) => ({path: `${stem}.${suffix}`, fd: openSync(`${stem}.${suffix}`, 'wx', 0o600)});
	const out = open('out');
	const err = open('err');
	let writersOpen = true;
	return {
		out,
		err,
		closeWriters() {
			if (writersOpen) {
				writersOpen = false;
				closeSync(out.fd);
				closeSync(err.fd);
			}
		},
		remove() {
			rmSync(out.path, {force: true});
			rmSync(err.path, {force: true});
		},
	};
}

const readBudget = 4 << 20;

/** Reads what the installer appended since the last read, in chunks, decoding UTF-8 across them. */
function tailer(file: string, lines: ReturnType<typeof lineSplitter>) {
	const fd = openSync(file, 'r');
	const buffer = Buffer.allocUnsafe(1 << 20);
	const decoder = new StringDecoder('utf8');
	let offset = 0;
	let closed = false;
	/** Reads up to `budget` bytes (all there is when unset); true when more may be waiting. */
	const read = (budget = Number.POSITIVE_INFINITY): boolean => {
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

	return {
		read,
		/** How much the installer has written to this file so far. */
		written: () => (closed ? offset : fstatSync(fd).size),
		/** The installer has exited: read to the end, hand over the last partial line, let go. */
		finish() {
			read();
			lines.push(decoder.end());
			lines.flush();
			closed = true;
			closeSync(fd);
		},
	};
}

function notStarted(exit: ProcessExit): InstallerProcess {
	return {pid: undefined, exited: Promise.resolve(exit), stop: async () => undefined};
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

export function spawnInstaller(options: SpawnOptions): InstallerProcess {
	const [file, ...args] = options.argv;
	// A relative path is found from the child's working directory, as the kernel will.
	const refusal = file?.includes('/') ? whyNotExecutable(path.resolve(options.cwd, file)) : undefined;
	if (refusal) {
		return notStarted({spawnError: 'ENOEXEC', spawnDetail: refusal});
	}

	const capture = openCapture(options.captureDir ?? tmpdir());
	const child = startChild();
	function startChild() {
		try {
			return execa(file!, args, {
				cwd: options.cwd,
				env: options.env,
				extendEnv: options.env === undefined,
				stdin: 'ignore',
				stdout: fileDescriptor(capture.out.fd),
				stderr: fileDescriptor(capture.err.fd),
				reject: false,
				// Own process group: a terminal hang-up or Ctrl+C reaches the wizard, not the installer.
				detached: true,
				cleanup: false,
			});
		} finally {
			// The child holds its own copies; ours would keep the files open after it exits.
			capture.closeWriters();
		}
	}

	const out = tailer(capture.out.path, lineSplitter(lines => options.onLines('stdout', lines)));
	const error = tailer(capture.err.path, lineSplitter(lines => options.onLines('stderr', lines)));
	// A few MB per turn of the event loop, so a flood is worked off in bounded steps (constant
	// memory, the screen keeps drawing); the backlog waits on disk, not in the wizard. A burst
	// still being written is left alone until it ends, for up to a second (output-pacing.ts).
	let poll: NodeJS.Timeout;
	let pacing = initialPacing(performance.now());
	/** One turn's worth of both files; true when more may be waiting. */
	const readTurn = () => out.read(readBudget) || error.read(readBudget);
	const pump = () => {
		const decision = pace(pacing, out.written() + error.written(), performance.now());
		if (!decision.read) {
			pacing = decision.state;
			poll = setTimeout(pump, burstPollMs);
			return;
		}

		const more = readTurn();
		pacing = afterRead(decision.state, more);
		poll = setTimeout(pump, more ? 0 : options.pollMs ?? 50);
	};

	poll = setTimeout(pump, 0);

	let exitedFlag = false;
	child.on('exit', (_code, signal) => {
		// A leader killed by a signal (ours, the OOM killer's, an operator's kill PID) had no chance to
		// stop its helpers: orphans that may still write into addon-offline-target-package. They go with it.
		if (signal && child.pid !== undefined) {
			signalGroup(child.pid, 'SIGKILL');
		}
	});
	const exited: Promise<ProcessExit> = child.then(async result => {
		exitedFlag = true;
		clearTimeout(poll);
		// What is left of a flood is still worked off a few MB per turn: read in one go, seconds of
		// backlog would freeze the screen until the last line.
		while (readTurn()) {
			await new Promise(resolve => {
				setTimeout(resolve, 0);
			});
		}

		out.finish();
		error.finish();
		capture.remove();
		const code = (result as {code?: string}).code;
		if (code && /^E[A-Z]+$/.test(code) && result.exitCode === undefined && !result.signal) {
			return {spawnError: code};
		}

		return {exitCode: result.exitCode, signal: result.signal};
	});

	const waitExit = async (ms: number) => Promise.race([
		exited.then(() => true),
		new Promise<boolean>(resolve => {
			setTimeout(() => resolve(exitedFlag), ms).unref();
		}),
	]);

	return {
		pid: child.pid,
		capture: {stdout: capture.out.path, stderr: capture.err.path},
		exited,
		async stop() {
			const {pid} = child;
			if (pid === undefined || exitedFlag) {
				return;
			}

			for (const signal of ['SIGINT', 'SIGTERM'] as const) {
				signalGroup(pid, signal);
				if (await waitExit(options.graceMs)) {
					// The leader is gone; its helpers may not be.
					signalGroup(pid, 'SIGKILL');
					return;
				}
			}

			signalGroup(pid, 'SIGKILL');
			await exited;
		},
	};
}
