// Who a uid is, for messages another operator reads: /etc/passwd, and this process's own name.
import {readFileSync} from 'node:fs';
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
