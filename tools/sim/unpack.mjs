// Unpacking as the installer does it, with node-tar's Parser doing the reading: every file byte is
// written with the budget's say-so, and each failure reads the way the Go installer words it.
import {once} from 'node:events';
import {closeSync, mkdirSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import {Parser} from 'tar';
import {Fatal, fail} from './log.mjs';

/** Bytes the run may write (DCE5_SIM_DISK_BUDGET); the write that passes it fails as a full disk does. */
export function diskBudget(limit) {
	let written = 0;
	return {
		write(fd, chunk, file) {
			const noSpace = () => fail(`failed to unpack addon package: write ${file}: no space left on device`);
			if (written + chunk.length > limit) {
				writeSync(fd, chunk.subarray(0, Math.max(0, limit - written)));
				written = limit;
				noSpace();
			}
			try {
				writeSync(fd, chunk);
			} catch (error) {
				if (error.code === 'ENOSPC') noSpace();
				throw error;
			}
			written += chunk.length;
		},
		/** Everything counted lived under the target directory, which is gone: the next package starts afresh. */
		reset() {
			written = 0;
		},
	};
}

// What Go's archive/tar says where node-tar warns; an empty archive is valid for both.
const tarWording = [
	[/^Truncated input/, 'unexpected EOF'],
	[/checksum failure|invalid|path is required/i, 'archive/tar: invalid tar header'],
];

/** Writes the files of a tar byte stream under `dir`; resolves when all are on disk. */
export async function extractTar(source, dir, budget) {
	let failure;
	const parser = new Parser({strict: false});
	parser.on('warn', (code, message) => {
		if (/Unrecognized archive format/.test(message)) return;
		failure ??= new Error(tarWording.find(([pattern]) => pattern.test(message))?.[1] ?? message);
	});
	parser.on('error', error => {
		failure ??= error;
	});
	parser.on('entry', entry => {
		const target = path.join(dir, entry.path);
		if (failure || (target !== dir && !target.startsWith(`${dir}${path.sep}`))) {
			failure ??= new Error(`archive/tar: insecure file path: ${entry.path}`);
			entry.resume();
			return;
		}
		if (entry.type === 'Directory') {
			mkdirSync(target, {recursive: true});
			entry.resume();
			return;
		}
		if (!['File', 'OldFile', 'ContiguousFile'].includes(entry.type)) {
			entry.resume();
			return;
		}
		mkdirSync(path.dirname(target), {recursive: true});
		const fd = openSync(target, 'w');
		let open = true;
		const close = () => {
			if (open) closeSync(fd);
			open = false;
		};
		entry.on('data', chunk => {
			if (failure) return;
			try {
				budget.write(fd, chunk, target);
			} catch (error) {
				failure = error;
				close();
			}
		});
		entry.on('end', close);
	});
	const ended = new Promise(resolve => {
		parser.on('end', resolve);
	});
	for await (const chunk of source) {
		if (failure) break;
		if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), ended]);
	}
	if (!failure) {
		parser.end();
		await ended;
	}
	if (failure) throw failure;
}

export {Fatal};
