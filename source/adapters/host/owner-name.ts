// Who owns a process or a file, by account name: `status` says whose wizard runs, whichever
// account asks. The name comes from /etc/passwd; an account it does not list is named by its uid.
import {readFile, stat} from 'node:fs/promises';

async function nameOfUid(uid: number): Promise<string> {
	const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
	const entry = passwd.split('\n').find(line => line.split(':')[2] === String(uid));
	return entry?.split(':')[0] || `uid ${uid}`;
}

/** The owner of the file (or of `/proc/<pid>` for a process); undefined when it cannot be told. */
async function ownerOf(file: string): Promise<string | undefined> {
	const info = await stat(file).catch(() => undefined);
	return info ? nameOfUid(info.uid) : undefined;
}

export async function processOwner(pid: number): Promise<string | undefined> {
	return ownerOf(`/proc/${pid}`);
}

export async function fileOwner(file: string): Promise<string | undefined> {
	return ownerOf(file);
}
