// The run history on disk: one private file per cluster, whole lines appended, a cut-off line
// (a crash mid-write) skipped, the same cluster however its config is reached.
import {appendFile, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {createRunHistory, historyFile, resolveCluster} from '../../../source/adapters/run/run-history.js';
import type {HistoryEntry} from '../../../source/workflow/ports/history-port.js';

let dir = '';
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'run-history-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

function entry(configPath: string, at: number, extra: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		cluster: {configPath, clusterName: 'my-cluster'},
		at,
		stepId: 'cluster-create',
		stepKind: 'cluster-create',
		packages: [
			{
				fileName: 'addon-offline-full-package-v0.11.2-amd64.tar.gz',
				version: 'v0.11.2',
				kind: 'full',
				arch: 'amd64',
				path: '/srv/addon-offline-full-package-v0.11.2-amd64.tar.gz',
			},
		],
		installer: {path: '/root/dce5-installer', version: 'dce5-installer v0.27.0'},
		outcome: 'ok',
		verification: {verified: false, message: '3 tag(s) lost arm64.', hint: 'Integrate arm64.', checkedImages: 3, lostArch: 3, missing: 0},
		logPath: '/root/.local/state/addon-wizard/logs/run.log',
		...extra,
	};
}

describe('run history', () => {
	it('keeps entries in order in a file only its owner can read, in a folder only its owner can enter', async () => {
		const config = path.join(dir, 'clusterConfig.yaml');
		await writeFile(config, 'kind: ClusterConfig\n');
		const history = createRunHistory(path.join(dir, 'state'));
		await history.append(entry(config, 1));
		await history.append(entry(config, 2, {stepKind: 'import-addon', stepId: 'integrate-arm64-1'}));
		const read = await history.read({configPath: config, clusterName: 'my-cluster'});
		expect(read.map(item => [item.at, item.stepKind])).toEqual([
			[1, 'cluster-create'],
			[2, 'import-addon'],
		]);
		expect(read[0]).toEqual(entry(config, 1));
		const file = historyFile(path.join(dir, 'state'), await resolveCluster({configPath: config, clusterName: 'my-cluster'}));
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
		expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3);
	});

	it('is one history for the config however it is reached (a link, a relative path), and another for another clusterName', async () => {
		const real = path.join(dir, 'real', 'clusterConfig.yaml');
		await mkdir(path.dirname(real));
		await writeFile(real, 'kind: ClusterConfig\n');
		await symlink(path.dirname(real), path.join(dir, 'link'));
		const history = createRunHistory(path.join(dir, 'state'));
		await history.append(entry(path.join(dir, 'link', 'clusterConfig.yaml'), 1));
		expect(await history.read({configPath: real, clusterName: 'my-cluster'})).toHaveLength(1);
		expect((await history.read({configPath: real, clusterName: 'my-cluster'}))[0]!.cluster.configPath).toBe(real);
		expect(await history.read({configPath: real, clusterName: 'another'})).toEqual([]);
	});

	it('skips a line cut off by a crash and keeps what came before and after it', async () => {
		const config = path.join(dir, 'clusterConfig.yaml');
		const state = path.join(dir, 'state');
		const history = createRunHistory(state);
		await history.append(entry(config, 1));
		const file = historyFile(state, await resolveCluster({configPath: config, clusterName: 'my-cluster'}));
		await appendFile(file, '{"cluster":{"configPath":"/x"},"at":2,"stepId":"clu');
		await appendFile(file, '\n');
		await history.append(entry(config, 3));
		expect((await history.read({configPath: config, clusterName: 'my-cluster'})).map(item => item.at)).toEqual([1, 3]);
	});

	it('reads nothing for a cluster never run against; an entry it cannot write is reported, never thrown at a listener', async () => {
		const state = path.join(dir, 'state');
		expect(await createRunHistory(state).read({configPath: path.join(dir, 'none.yaml')})).toEqual([]);
		// Where the history folder should be, a file: no entry can be written there (as root too).
		await mkdir(state);
		await writeFile(path.join(state, 'history'), 'not a folder');
		const problems: string[] = [];
		const listened = createRunHistory(state, {onWriteError: error => problems.push(error.code ?? String(error))});
		await expect(listened.append(entry(path.join(dir, 'c.yaml'), 1))).resolves.toBeUndefined();
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^E(EXIST|NOTDIR)$/);
		// Without a listener the caller (the run, which notes it in its log) hears of it.
		await expect(createRunHistory(state).append(entry(path.join(dir, 'c.yaml'), 1))).rejects.toMatchObject({
			code: expect.stringMatching(/^E(EXIST|NOTDIR)$/),
		});
	});
});
