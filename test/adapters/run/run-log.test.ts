// The run log is what an operator attaches to a support ticket: readable line by line, private
// (0600), with no registry password in it, and complete up to the moment the wizard died.
import {execFile} from 'node:child_process';
import {appendFile, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readClusterConfig} from '../../../source/adapters/config/cluster-config.js';
import {defaultLogPath, openJournal, openRunLog, parseLogLine} from '../../../source/adapters/run/run-log.js';
import {repoRoot} from '../../helpers/cluster-fixture.js';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'run-log-'));
});
afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

const iso = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
const logLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').slice(0, -1);

/** Runs a TypeScript snippet in its own Node process (so it can be killed), from the repo root. */
function child(
	name: string,
	source: string,
	shellPrefix = '',
): Promise<{stdout: string; code: number | null; signal: NodeJS.Signals | null}> {
	return new Promise((resolve, reject) => {
		const file = path.join(dir, `${name}.ts`);
		void writeFile(file, source).then(() => {
			execFile('bash', ['-c', `${shellPrefix}exec node --import tsx "$0"`, file], {cwd: repoRoot}, (error, stdout) => {
				const failure = error as (Error & {code?: number; signal?: NodeJS.Signals}) | null;
				resolve({stdout, code: failure ? (failure.code ?? null) : 0, signal: failure?.signal ?? null});
			});
		}, reject);
	});
}

const runLogModule = JSON.stringify(path.join(repoRoot, 'source', 'adapters', 'run', 'run-log.ts'));

describe('openRunLog', () => {
	it('journals run events one per line, read back whole for `attach`, a line break in a path included', async () => {
		const file = path.join(dir, 'journal.log');
		const log = openRunLog(file, []);
		const event = {
			type: 'config-written',
			at: Date.parse('2026-12-01T08:00:00Z'),
			path: '/root/odd\nname/clusterConfig.yaml',
			backupPath: '/root/b',
		} as const;
		log.event(event);
		log.close();
		const lines = await logLines(file);
		expect(lines).toEqual([`2026-12-01T08:00:00.000Z wizard event| ${JSON.stringify(event)}`]);
		expect(parseLogLine(lines[0]!)).toEqual({kind: 'event', event});
	});

	it('reads a log another wizard is still writing, keeping a character whole when a read ends inside it', async () => {
		const file = path.join(dir, 'growing.log');
		const line = '2026-12-01T08:00:00.000Z cluster-create out| 镜像推送开始 ✓\n';
		const bytes = Buffer.from(line);
		const cut = bytes.indexOf(Buffer.from('镜')) + 1;
		await writeFile(file, bytes.subarray(0, cut));
		const journal = openJournal(file);
		// The first read ends one byte into 镜: the line is not complete, so nothing is delivered yet.
		expect(await journal.read()).toEqual({entries: [], more: false});
		await appendFile(file, bytes.subarray(cut));
		expect(await journal.read()).toEqual({
			entries: [{kind: 'output', stepId: 'cluster-create', stream: 'stdout', line: '镜像推送开始 ✓'}],
			more: false,
		});
		await journal.close();
	});

	it('creates the log 0600 in a 0700 folder, whatever the umask', async () => {
		const file = path.join(dir, 'fresh', 'logs', 'run.log');
		const old = process.umask(0o000);
		try {
			const log = openRunLog(file, []);
			log.note('started');
			log.close();
		} finally {
			process.umask(old);
		}

		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
	});

	it('narrows an existing world-readable log to 0600 and appends to it', async () => {
		const file = path.join(dir, 'existing.log');
		await writeFile(file, 'earlier run\n', {mode: 0o644});
		const log = openRunLog(file, []);
		log.note('second run');
		log.close();
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		const lines = await logLines(file);
		expect(lines[0]).toBe('earlier run');
		expect(lines[1]).toMatch(new RegExp(`^${iso} wizard \\| second run$`));
	});

	it('writes one line per installer line: "<time> <step> out|/err| <line>", and notes as "<time> wizard | …"', async () => {
		const file = path.join(dir, 'format.log');
		const log = openRunLog(file, []);
		log.note('step 1/2 cluster-create: ["/root/dce5-installer","cluster-create"] in /root');
		log.output('cluster-create', 'stdout', [
			'[Info]: Step 13/13: import addon offline package',
			'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
		]);
		log.output('cluster-create', 'stderr', ['I1124 20:01:47.234706    8743 sync.go:66] Syncing "dao-2048_1.4.1" chart...']);
		log.output('cluster-create', 'stdout', []);
		log.output('integrate-arm64-1', 'stderr', ['[Error]:[Error] import addon failed', '', '  indented | with a bar']);
		log.note('package /root/odd\nname.tar.gz is gone');
		log.close();

		const lines = await logLines(file);
		expect(lines).toHaveLength(8);
		expect(lines.map(line => line.replace(new RegExp(`^${iso} `), ''))).toEqual([
			'wizard | step 1/2 cluster-create: ["/root/dce5-installer","cluster-create"] in /root',
			'cluster-create out| [Info]: Step 13/13: import addon offline package',
			'cluster-create out| Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
			'cluster-create err| I1124 20:01:47.234706    8743 sync.go:66] Syncing "dao-2048_1.4.1" chart...',
			'integrate-arm64-1 err| [Error]:[Error] import addon failed',
			'integrate-arm64-1 err| ',
			'integrate-arm64-1 err|   indented | with a bar',
			String.raw`wizard | package /root/odd\nname.tar.gz is gone`,
		]);
		expect(lines.every(line => new RegExp(`^${iso} `).test(line))).toBe(true);
		// `addon-wizard attach` reads the same lines back.
		expect(lines.map(line => parseLogLine(line))).toEqual([
			{kind: 'note', text: 'step 1/2 cluster-create: ["/root/dce5-installer","cluster-create"] in /root'},
			{kind: 'output', stepId: 'cluster-create', stream: 'stdout', line: '[Info]: Step 13/13: import addon offline package'},
			{
				kind: 'output',
				stepId: 'cluster-create',
				stream: 'stdout',
				line: 'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
			},
			{
				kind: 'output',
				stepId: 'cluster-create',
				stream: 'stderr',
				line: 'I1124 20:01:47.234706    8743 sync.go:66] Syncing "dao-2048_1.4.1" chart...',
			},
			{kind: 'output', stepId: 'integrate-arm64-1', stream: 'stderr', line: '[Error]:[Error] import addon failed'},
			{kind: 'output', stepId: 'integrate-arm64-1', stream: 'stderr', line: ''},
			{kind: 'output', stepId: 'integrate-arm64-1', stream: 'stderr', line: '  indented | with a bar'},
			{kind: 'note', text: String.raw`package /root/odd\nname.tar.gz is gone`},
		]);
	});

	it('masks every registry password of clusterConfig.yaml, as written, in a URL and in JSON', async () => {
		const config = path.join(dir, 'clusterConfig.yaml');
		await writeFile(
			config,
			[
				'apiVersion: provision.daocloud.io/v1alpha3',
				'kind: ClusterConfig',
				'spec:',
				'  imagesAndCharts:',
				'    type: external',
				'    externalImageRepo: https://harbor.example.com',
				'    externalImageRepoUsername: admin',
				'    externalImageRepoPassword: "P@ss/w0rd!\\"x"',
				'    externalChartRepoPassword: Harbor12345',
				'  addonPackage:',
				'    path: /root/pkg.tar.gz',
				'  auth:',
				'    token: Harbor1234567890',
				'',
			].join('\n'),
		);
		const cluster = await readClusterConfig(config);
		if ('exitCode' in cluster) {
			throw new Error(cluster.message);
		}

		const secrets = cluster.secrets ?? [];
		expect(secrets).toEqual(expect.arrayContaining(['P@ss/w0rd!"x', 'Harbor12345', 'Harbor1234567890']));
		const file = path.join(dir, 'masked.log');
		const log = openRunLog(file, secrets);
		log.output('cluster-create', 'stdout', [
			'login to harbor.example.com with admin:P@ss/w0rd!"x',
			`pull https://admin:${encodeURIComponent('P@ss/w0rd!"x')}@harbor.example.com/v2/`,
			'{"username":"admin","password":"P@ss/w0rd!\\"x"}',
			'chart repo password Harbor12345, token Harbor1234567890',
		]);
		log.note('echo Harbor12345');
		log.close();

		const text = await readFile(file, 'utf8');
		for (const secret of secrets) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(encodeURIComponent(secret));
		}

		// A password that contains another is masked whole, not left with its tail visible.
		expect(text).not.toContain('67890');
		expect(text).not.toContain('P%40ss');
		expect((await logLines(file)).map(line => line.replace(new RegExp(`^${iso} `), ''))).toEqual([
			'cluster-create out| login to harbor.example.com with admin:********',
			'cluster-create out| pull https://admin:********@harbor.example.com/v2/',
			'cluster-create out| {"username":"admin","password":"********"}',
			'cluster-create out| chart repo password ********, token ********',
			'wizard | echo ********',
		]);
	});

	it('keeps every line written before the wizard is killed with SIGKILL', async () => {
		const file = path.join(dir, 'killed.log');
		const result = await child(
			'killed',
			`
import {openRunLog} from ${runLogModule};
const log = openRunLog(${JSON.stringify(file)}, []);
log.note('run: single-arch-import');
for (let i = 0; i < 1000; i++) log.output('cluster-create', i % 2 ? 'stderr' : 'stdout', ['line ' + i]);
log.note('last note before the kill');
process.kill(process.pid, 'SIGKILL');
`,
		);
		expect(result.signal).toBe('SIGKILL');
		const lines = await logLines(file);
		expect(lines).toHaveLength(1002);
		expect(lines[500]).toMatch(new RegExp(`^${iso} cluster-create err\\| line 499$`));
		expect(lines.at(-1)).toMatch(/wizard \| last note before the kill$/);
	});

	it('does not crash the run when the log can no longer be written (file size limit / full disk)', async () => {
		const file = path.join(dir, 'full.log');
		// 4 KiB file size limit: the kernel refuses writes past it, as it would on a full disk.
		const result = await child(
			'full',
			`
import {openRunLog} from ${runLogModule};
process.on('SIGXFSZ', () => {});
const log = openRunLog(${JSON.stringify(file)}, []);
for (let i = 0; i < 200; i++) log.output('cluster-create', 'stdout', ['line ' + i + ' ' + '.'.repeat(60)]);
log.note('still here');
log.close();
console.log('run went on');
`,
			'ulimit -f 4; ',
		);
		expect(result).toMatchObject({code: 0, signal: null});
		expect(result.stdout).toBe('run went on\n');
		const lines = await logLines(file);
		expect(lines.length).toBeGreaterThan(10);
		expect(lines[0]).toMatch(/cluster-create out\| line 0 \.+$/);
	});
});

describe('defaultLogPath', () => {
	it('names the log after the start time, sortable', () => {
		expect(defaultLogPath('/state/logs', new Date('2026-11-25T11:34:02.123Z'))).toBe('/state/logs/run-20261125-113402-123.log');
		expect(defaultLogPath('/state/logs', new Date('2026-11-25T11:34:02.124Z'))).not.toBe(
			defaultLogPath('/state/logs', new Date('2026-11-25T11:34:02.123Z')),
		);
	});
});
