// Small facts about files, each one a value and never a throw: the text (undefined when it cannot
// be read), the size and time, whether the path names anything (a dangling link counts), and the
// real path (the path itself when it cannot be resolved).
import {lstat, readFile, realpath, stat} from 'node:fs/promises';

export async function readText(file: string): Promise<string | undefined> {
	return readFile(file, 'utf8').catch(() => undefined);
}

export async function statFile(file: string): Promise<{size: number; mtimeMs: number} | undefined> {
	return stat(file).then(
		info => ({size: info.size, mtimeMs: info.mtimeMs}),
		() => undefined,
	);
}

export async function pathExists(file: string): Promise<boolean> {
	return lstat(file).then(
		() => true,
		() => false,
	);
}

export async function realPathOr(file: string): Promise<string> {
	return realpath(file).catch(() => file);
}
