// The leak guard itself: a registry that is never stopped is reported (naming this file), one that is
// stopped is not; and a vitest run whose test file leaks a registry fails, with the registry gone after.
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {repoRoot} from './cluster-fixture.js';
import {startRegistry} from './registry.js';
import {describeLeak, findLeaks, isSameProcessRunning, ledgerEnv} from './test-bed-ledger.js';

const scratch: string[] = [];
afterAll(async () => {
	await Promise.all(scratch.map(async dir => rm(dir, {recursive: true, force: true})));
});

it('reports a registry started here and not yet stopped, and nothing once it is stopped', async () => {
	const ledger = process.env[ledgerEnv]!;
	expect(ledger).toBeTruthy();
	const registry = await startRegistry();
	const leaks = findLeaks(ledger).filter(leak => leak.pid === registry.pid);
	expect(leaks).toHaveLength(1);
	expect(leaks[0]).toMatchObject({
		kind: 'docker-registry',
		running: true,
		rootLeft: true,
		startedBy: expect.stringMatching(/test-bed-guard\.test\.ts$/) as string,
	});
	expect(describeLeak(leaks[0]!)).toContain('test/helpers/test-bed-guard.test.ts');
	await registry.stop();
	expect(findLeaks(ledger).filter(leak => leak.pid === registry.pid)).toEqual([]);
	expect(isSameProcessRunning(registry.pid, undefined)).toBe(false);
});

it('fails a vitest run whose test file leaves a registry running, and removes it', async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-leak-check-'));
	scratch.push(dir);
	const helpers = path.join(repoRoot, 'test', 'helpers');
	await writeFile(
		path.join(dir, 'vitest.config.mts'),
		[
			`import {defineConfig} from '${path.join(repoRoot, 'node_modules', 'vitest', 'dist', 'config.js')}';`,
			`export default defineConfig({test: {include: ['*.test.ts'], globalSetup: ['${path.join(helpers, 'test-bed-guard.ts')}'], setupFiles: ['${path.join(helpers, 'test-bed-file-guard.ts')}']}});`,
		].join('\n'),
	);
	await writeFile(
		path.join(dir, 'leaky.test.ts'),
		[
			"import {writeFileSync} from 'node:fs';",
			"import {it} from 'vitest';",
			`import {startRegistry} from '${path.join(helpers, 'registry.ts')}';`,
			"it('starts a registry and forgets it', async () => {",
			'\tconst registry = await startRegistry();',
			`\twriteFileSync('${path.join(dir, 'leaked.json')}', JSON.stringify({pid: registry.pid, dataDir: registry.dataDir}));`,
			'});',
		].join('\n'),
	);
	const result = await new Promise<{code: number | null; output: string}>(resolve => {
		execFile(
			process.execPath,
			[path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--config', path.join(dir, 'vitest.config.mts')],
			{cwd: repoRoot, env: {...process.env, CI: 'true'}},
			(error, stdout, stderr) => {
				resolve({code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: `${stdout}${stderr}`});
			},
		);
	});
	expect(result.code).toBe(1);
	expect(result.output).toContain('This file left 1 test-bed item(s) behind');
	expect(result.output).toMatch(/docker-registry started by .*leaky\.test\.ts: pid \d+ still running/);
	const {readFile} = await import('node:fs/promises');
	const leaked = JSON.parse(await readFile(path.join(dir, 'leaked.json'), 'utf8')) as {pid: number; dataDir: string};
	expect(isSameProcessRunning(leaked.pid, undefined)).toBe(false);
	expect(existsSync(leaked.dataDir)).toBe(false);
});
