// The README's screen captures are the real UI: captured again in tmux and compared with what is
// checked in (numbers and times aside), so a UI change without `npm run screens` fails here.
import {execFile} from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {expect, it} from 'vitest';
import {repoRoot} from '../helpers/cluster-fixture.js';

const run = promisify(execFile);

it('README screens match what the built wizard draws in a real terminal', async () => {
	const result = await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', 'screens.ts'), '--check'], {
		cwd: repoRoot,
		env: {...process.env, CI: 'false'},
	}).catch((error: {stdout?: string; stderr?: string}) => error);
	expect(result.stderr).toBe('');
	expect(result.stdout).toMatch(/^\d+ captures match the UI$/m);
}, 120_000);
