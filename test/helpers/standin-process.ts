// Starts one of the tools/*-standin.mjs servers as a child of the test: its own temp folder, its log
// in a file, the port read from its first stdout line, and a stop() that ends it by pid and removes
// the folder. Every start and stop goes to the test-bed ledger, so a forgotten stop fails the run.
import {spawn} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {helperStopper} from './stop-helper-process.js';
import {recordStart, recordStop} from './test-bed-ledger.js';

export const toolsDir = path.resolve(import.meta.dirname, '..', '..', 'tools');

export type StandinProcess = {
	port: number;
	pid: number;
	/** The stand-in's temp folder (its storage lives under it). */
	root: string;
	logPath: string;
	stop(): Promise<void>;
};

async function firstLine(child: ReturnType<typeof spawn>, logPath: string, name: string): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => {
			fail(new Error(`${name} printed no port within 10 s`));
		}, 10_000);
		const fail = (error: Error) => {
			clearTimeout(timer);
			void readFile(logPath, 'utf8')
				.catch(() => '')
				.then(log => {
					reject(new Error(`${error.message}\n${log}`));
				});
		};

		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const end = text.indexOf('\n');
			if (end >= 0) {
				clearTimeout(timer);
				resolve(text.slice(0, end));
			}
		});
		child.once('exit', code => {
			fail(new Error(`${name} exited (${code}) before it listened`));
		});
	});
}

/** `args` may name paths under the stand-in's folder through `root => [...]`. */
export async function startStandin(script: string, args: (root: string) => string[]): Promise<StandinProcess> {
	const root = await mkdtemp(path.join(tmpdir(), `addon-wizard-${path.basename(script, '.mjs')}-`));
	const logPath = path.join(root, 'standin.log');
	const logFd = openSync(logPath, 'a');
	const child = spawn(process.execPath, [path.join(toolsDir, script), ...args(root)], {stdio: ['ignore', 'pipe', logFd]});
	closeSync(logFd);
	const ledgerId = recordStart(path.basename(script, '.mjs'), child.pid!, root);
	let port: number;
	try {
		port = Number(await firstLine(child, logPath, script));
	} catch (error) {
		child.kill('SIGKILL');
		await rm(root, {recursive: true, force: true});
		recordStop(ledgerId);
		throw error;
	}

	// The port line is all the helper reads; the rest of stdout must not fill the pipe.
	child.stdout!.resume();
	return {
		port,
		pid: child.pid!,
		root,
		logPath,
		stop: helperStopper(child, root, ledgerId),
	};
}
