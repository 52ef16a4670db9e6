// What a path typed on the command line names, told before the wizard reads it: a file it can
// read, a directory, something else, or nothing.
import {access, constants, stat} from 'node:fs/promises';

export type PathKind = {kind: 'file' | 'directory' | 'other' | 'missing'; readable: boolean; code?: string};

export async function pathKind(file: string): Promise<PathKind> {
	const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
	if (info instanceof Error) {
		// A path through a file (ENOTDIR) or too deep a link chain names nothing usable either.
		return {kind: 'missing', readable: false, code: info.code};
	}

	const kind = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
	const readable = await access(file, kind === 'directory' ? constants.R_OK | constants.X_OK : constants.R_OK).then(
		() => true,
		() => false,
	);
	return {kind, readable};
}
