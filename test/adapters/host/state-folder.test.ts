// The state folder as the run finds it before it takes anything: one line naming the folder and
// why it cannot be written, and a next step that works; nothing left behind when it can.
import {readdirSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {stateFolderProblem} from '../../../source/adapters/host/state-folder.js';
import {wizardPaths} from '../../../source/adapters/host/xdg-paths.js';

let root: string;
const asRoot = process.getuid?.() === 0;

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'state-folder-'));
});

afterAll(async () => {
	await chmod(path.join(root, 'locked'), 0o755).catch(() => undefined);
	await rm(root, {recursive: true, force: true});
});

const pathsUnder = (stateHome: string) => wizardPaths({XDG_STATE_HOME: stateHome}, '/nonexistent-home');

describe('the state folder before a run', () => {
	it('is ready when it can be made and written, and leaves only its folders behind', () => {
		const paths = pathsUnder(path.join(root, 'fine'));
		expect(stateFolderProblem(paths)).toBeUndefined();
		expect(readdirSync(paths.state).sort()).toEqual(['capture', 'logs']);
	});

	// Fails for root too: no permission check lets a folder be made under a regular file.
	it('names the file in the way, and says to move it or set XDG_STATE_HOME, when a part of the path is a file', async () => {
		await writeFile(path.join(root, 'a-file'), 'x');
		const problem = stateFolderProblem(pathsUnder(path.join(root, 'a-file', 'state')));
		expect(problem).toMatchObject({kind: 'state-not-writable', exitCode: 2});
		expect(problem!.message).toBe(
			`Cannot write the wizard's state folder ${path.join(root, 'a-file', 'state', 'addon-wizard')} (run records and logs): ${path.join(root, 'a-file')} is a file, not a folder; nothing was run.`,
		);
		expect(problem!.hint).toContain(`mv ${path.join(root, 'a-file')} ${path.join(root, 'a-file')}.bak`);
		expect(problem!.hint).toContain('export XDG_STATE_HOME=/var/tmp/addon-wizard-$(id -un)');
		expect(problem!.hint).not.toMatch(/see the log/i);
	});

	// Root passes every permission check: a 0555 folder stops nobody running as root, so this one needs another user.
	it.skipIf(asRoot)('says permission denied on a read-only folder (0555), with the chmod that fixes it', async () => {
		const locked = path.join(root, 'locked');
		await mkdir(locked);
		await chmod(locked, 0o555);
		const problem = stateFolderProblem(pathsUnder(locked));
		expect(problem!.message).toContain(`(run records and logs): permission denied on ${locked}; nothing was run.`);
		expect(problem!.hint).toContain(`Fix its permissions (chmod u+rwx ${locked}), or set XDG_STATE_HOME`);
	});
});
