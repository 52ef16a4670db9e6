// Debian's ansible-core run as an operator runs it, with everything it writes kept in a folder of
// the test's (HOME, temp files, SSH control sockets) and its results read from the
// `fleet_record` callback (test/fleet/callback_plugins) as JSON, never from the recap's prose.
import {execFile} from 'node:child_process';
import {mkdir, readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {repoRoot} from './cluster-fixture.js';
import {which} from './registry.js';

const run = promisify(execFile);
const callbackPlugins = path.join(repoRoot, 'test', 'fleet', 'callback_plugins');

/** Why ansible-playbook cannot run here, or undefined when it can. */
export function ansibleUnavailable(): string | undefined {
	return which('ansible-playbook') ? undefined : 'ansible-playbook is missing (apt-get install -y ansible-core; .ci/run does this)';
}

/** The recap's numbers for one host, as Ansible's stats.summarize() gives them. */
export type HostStats = {
	ok: number;
	changed: number;
	failures: number;
	unreachable: number;
	skipped: number;
	rescued: number;
	ignored: number;
};

export type TaskRecord = {
	host: string;
	task: string;
	status: 'ok' | 'failed' | 'ignored' | 'skipped' | 'unreachable';
	changed: boolean;
	msg: string | null;
	rc: number | null;
	seconds: number;
};

export type PlaybookRun = {
	exitCode: number;
	stats: Record<string, HostStats>;
	tasks: TaskRecord[];
	/** Ansible's own output, for a failing assertion to show. */
	output: string;
};

export type PlaybookOptions = {
	playbook: string;
	inventory: string;
	/** Where Ansible keeps its HOME, temp files and the record; made if missing. */
	dir: string;
	check?: boolean;
	limit?: string;
	/** Passed as one JSON `-e` (lists and dicts keep their types). */
	extraVars?: Record<string, unknown>;
	timeoutMs?: number;
};

function environment(dir: string, recordPath: string): NodeJS.ProcessEnv {
	return {
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		// ansible-core refuses to start under a locale that is not UTF-8.
		LANG: 'C.UTF-8',
		LC_ALL: 'C.UTF-8',
		HOME: path.join(dir, 'home'),
		ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
		ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(dir, 'cp'),
		ANSIBLE_ROLES_PATH: path.join(repoRoot, 'ansible', 'roles'),
		ANSIBLE_CALLBACK_PLUGINS: callbackPlugins,
		ANSIBLE_CALLBACKS_ENABLED: 'fleet_record',
		ANSIBLE_HOST_KEY_CHECKING: 'False',
		// One SSH exchange per task instead of four (mkdir, put, run, rm), as ansible.cfg of the example says.
		ANSIBLE_PIPELINING: 'True',
		ANSIBLE_RETRY_FILES_ENABLED: 'False',
		ANSIBLE_NOCOLOR: '1',
		// Every site of a test at once (the default is 5).
		ANSIBLE_FORKS: '10',
		ANSIBLE_LOCALHOST_WARNING: 'False',
		FLEET_RECORD_PATH: recordPath,
		// The role's filter and the test's callback are loaded from the repository: no __pycache__ there.
		PYTHONDONTWRITEBYTECODE: '1',
	};
}

export async function runPlaybook(options: PlaybookOptions): Promise<PlaybookRun> {
	await Promise.all(['home', 'tmp', 'cp'].map(async sub => mkdir(path.join(options.dir, sub), {recursive: true})));
	const recordPath = path.join(options.dir, 'record.json');
	await rm(recordPath, {force: true});
	const argv = [
		'-i',
		options.inventory,
		options.playbook,
		...(options.check ? ['--check'] : []),
		...(options.limit ? ['--limit', options.limit] : []),
		...(options.extraVars ? ['-e', JSON.stringify(options.extraVars)] : []),
	];
	const finished = await run('ansible-playbook', argv, {
		cwd: repoRoot,
		env: environment(options.dir, recordPath),
		timeout: options.timeoutMs ?? 240_000,
		maxBuffer: 64 << 20,
	}).then(
		({stdout, stderr}) => ({exitCode: 0, output: stdout + stderr}),
		(error: {code?: number | string; stdout?: string; stderr?: string}) => ({
			exitCode: typeof error.code === 'number' ? error.code : -1,
			output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
		}),
	);
	const record = await readFile(recordPath, 'utf8').then(
		text => JSON.parse(text) as Pick<PlaybookRun, 'stats' | 'tasks'>,
		() => {
			throw new Error(`ansible-playbook (exit ${finished.exitCode}) left no record of its run:\n${finished.output}`);
		},
	);
	return {...finished, ...record};
}
