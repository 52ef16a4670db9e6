// What /proc says is left of an installer: every live process of its process group or of its
// session (the installer leads both; a child with a group of its own stays in the session). Read
// straight from the kernel, not through the wizard's own scan, so a test checks that scan too.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

export type SessionMember = {pid: number; command: string; state: string};

export async function sessionMembers(leader: number): Promise<SessionMember[]> {
	const found: SessionMember[] = [];
	for (const name of readdirSync('/proc').filter(entry => /^\d+$/.test(entry))) {
		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue; // Gone meanwhile.
		}

		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const [state, , pgid, sid] = fields;
		if (state !== 'Z' && (Number(pgid) === leader || Number(sid) === leader)) {
			const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
			found.push({pid: Number(name), command: path.basename(argv[0] ?? '?'), state: state!});
		}
	}

	return found;
}
