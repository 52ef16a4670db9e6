// Who a uid is, for messages another operator reads: /etc/passwd, this process's own name, and
// whose a process or a file is (`status` says whose wizard runs, whichever account asks).
import {readFileSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import os from 'node:os';

/** uid → user name from /etc/passwd (empty when it cannot be read: then uids are shown as numbers). */
export function userNames(): Map<number, string> {
	const names = new Map<number, string>();
	try {
		for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
			const [name, , uid] = line.split(':');
			if (name && uid && /^\d+$/.test(uid) && !names.has(Number(uid))) {
				names.set(Number(uid), name);
			}
		}
	} catch {
		// No passwd file (a minimal container): numbers it is.
	}

	return names;
}

/** This process's user: name and uid (the name may be missing in a container run with a bare uid). */
export function currentUser(): {user: string; uid: number} {
	const uid = process.getuid?.() ?? -1;
	try {
		return {user: os.userInfo().username, uid};
	} catch {
		return {user: userNames().get(uid) ?? `uid ${uid}`, uid};
	}
}

/** The owner of the file (or of `/proc/<pid>` for a process) by name, its uid when passwd lacks it; undefined when it cannot be told. */
async function ownerOf(file: string): Promise<string | undefined> {
	const info = await stat(file).catch(() => undefined);
	return info ? (userNames().get(info.uid) ?? `uid ${info.uid}`) : undefined;
}

export async function processOwner(pid: number): Promise<string | undefined> {
	return ownerOf(`/proc/${pid}`);
}

export async function fileOwner(file: string): Promise<string | undefined> {
	return ownerOf(file);
}
