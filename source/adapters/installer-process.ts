// Runs one installer step as a child in its own process group: argv only (never a shell),
// stdin closed, both pipes read continuously so a chatty installer is never slowed down.
import {execa} from 'execa';

export type ProcessExit = {exitCode?: number; signal?: string; spawnError?: string};

export type InstallerProcess = {
	pid?: number;
	/** SIGINT to the group, then SIGTERM, then SIGKILL, each after `graceMs`; resolves when it has exited. */
	stop(): Promise<void>;
	exited: Promise<ProcessExit>;
};

export type SpawnOptions = {
	argv: string[];
	cwd: string;
	env?: Record<string, string | undefined>;
	/** Complete lines, in batches as they arrive (one batch per pipe chunk). */
	onLines(stream: 'stdout' | 'stderr', lines: string[]): void;
	graceMs: number;
};

function lineSplitter(emit: (lines: string[]) => void) {
	let partial = '';
	return {
		push(chunk: string) {
			const text = partial + chunk;
			const parts = text.split(/\r?\n/);
			partial = parts.pop() ?? '';
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

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

export function spawnInstaller(options: SpawnOptions): InstallerProcess {
	const [file, ...args] = options.argv;
	const child = execa(file!, args, {
		cwd: options.cwd,
		env: options.env,
		extendEnv: options.env === undefined,
		stdin: 'ignore',
		buffer: false,
		reject: false,
		// Own process group: a terminal hang-up or Ctrl+C reaches the wizard, not the installer.
		detached: true,
		cleanup: false,
		encoding: 'utf8',
	});
	const out = lineSplitter(lines => options.onLines('stdout', lines));
	const error = lineSplitter(lines => options.onLines('stderr', lines));
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => error.push(chunk));

	let exitedFlag = false;
	const exited: Promise<ProcessExit> = child.then(result => {
		exitedFlag = true;
		out.flush();
		error.flush();
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
