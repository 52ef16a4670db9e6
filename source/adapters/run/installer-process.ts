// Starts one installer step as a child in its own process group: argv only (never a shell),
// stdin closed. Its stdout and stderr go straight into two private capture files that the wizard
// tails (capture-tail.ts): the installer never waits for the wizard to read (a flood of output
// costs it what writing to a file costs it anyway, docs/benchmarks.md), and never gets SIGPIPE
// mid-import if the wizard dies.
import {randomBytes} from 'node:crypto';
import {closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import type {InstallerProcess, ProcessExit, SpawnRequest} from '../../workflow/ports/installer-port.js';
import {isAlive, processControl} from '../host/process-control.js';
import {whyNotExecutable} from '../host/why-not-executable.js';

/** execa hands any open descriptor to the child as is; its types only spell out 3 to 9. */
const fileDescriptor = (fd: number) => fd as 3;

/** A day without output: no installer of ours is that quiet while it runs. */
const staleCaptureMs = 24 * 60 * 60 * 1000;

/**
 * Capture files of a wizard that died mid-run were never read to the end; they go at a later
 * start. Not while they may still grow: the installer outlives its wizard, and `attach` reads them.
 */
function removeStaleCaptures(dir: string, now: number): void {
	for (const name of readdirSync(dir)) {
		const owner = /^installer-(\d+)-[\da-f]+\.(out|err)$/.exec(name)?.[1];
		const file = path.join(dir, name);
		if (owner && !isAlive(Number(owner)) && now - (statSync(file, {throwIfNoEntry: false})?.mtimeMs ?? 0) > staleCaptureMs) {
			rmSync(file, {force: true});
		}
	}
}

type Capture = {out: {path: string; fd: number}; err: {path: string; fd: number}};

function openCaptureFiles(dir: string): Capture {
	mkdirSync(dir, {recursive: true, mode: 0o700});
	removeStaleCaptures(dir, Date.now());
	const stem = path.join(dir, `installer-${process.pid}-${randomBytes(6).toString('hex')}`);
	// `wx`: never follow or reuse a file someone placed there.
	const open = (suffix: string) => ({path: `${stem}.${suffix}`, fd: openSync(`${stem}.${suffix}`, 'wx', 0o600)});
	return {out: open('out'), err: open('err')};
}

/** Capture files are removed by whoever reads them to the end (the run, or `attach` for an orphan). */
export function removeCapture(files: {stdout: string; stderr: string}): void {
	rmSync(files.stdout, {force: true});
	rmSync(files.stderr, {force: true});
}

function notStarted(exit: ProcessExit): InstallerProcess {
	return {pid: undefined, exited: Promise.resolve(exit)};
}

export function spawnInstaller(request: SpawnRequest): InstallerProcess {
	const [file, ...args] = request.argv;
	// A relative path is found from the child's working directory, as the kernel will.
	const refusal = file?.includes('/') ? whyNotExecutable(path.resolve(request.cwd, file)) : undefined;
	if (refusal) {
		return notStarted({spawnError: 'ENOEXEC', spawnDetail: refusal});
	}

	const capture = openCaptureFiles(request.captureDir);
	let child;
	try {
		child = execa(file!, args, {
			cwd: request.cwd,
			env: request.env,
			extendEnv: request.env === undefined,
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
		closeSync(capture.out.fd);
		closeSync(capture.err.fd);
	}

	child.on('exit', (_code, signal) => {
		// A leader killed by a signal (ours, the OOM killer's, an operator's kill PID) had no chance to
		// stop its helpers: orphans that may still write into addon-offline-target-package. They go with it.
		if (signal && child.pid !== undefined) {
			processControl.killGroup(child.pid);
		}
	});
	const exited: Promise<ProcessExit> = child.then(result => {
		const code = (result as {code?: string}).code;
		if (code && /^E[A-Z]+$/.test(code) && result.exitCode === undefined && !result.signal) {
			return {spawnError: code};
		}

		return {exitCode: result.exitCode, signal: result.signal};
	});

	return {
		pid: child.pid,
		capture: {stdout: capture.out.path, stderr: capture.err.path},
		exited,
		// The installer lives on in its own group; only our handle on it would keep the wizard's process up.
		release: () => child.unref(),
	};
}
