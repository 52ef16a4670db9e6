// A real SSH session: the operator's jump host is reached with ssh, the connection drops mid-run,
// the operator logs in again and runs `addon-wizard attach`. A real sshd (Debian's openssh-server)
// started by the test on 127.0.0.1 and a free port, with its own host key and config, key login as
// the test user; the client runs inside tmux so the test reads the client's screen. Killing the
// ssh client is the drop: sshd hangs up the session under the wizard.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {findRecord} from '../../source/adapters/run/run-record.js';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {startSshd, sshdUnavailable, type TestSshd} from '../helpers/sshd.js';
import {startTmux, type TmuxSession} from '../helpers/tmux.js';

const run = promisify(execFile);
const sessions: TmuxSession[] = [];
let sshd: TestSshd | undefined;
let f: ClusterFixture;

const quote = (value: string) => `'${value.replaceAll("'", String.raw`'\''`)}'`;

const available = sshdUnavailable() === undefined && existsSync(cliPath);

beforeAll(async () => {
	if (!available) {
		return;
	}

	sshd = await startSshd();
	f = await makeClusterFixture({packages: [{version: 'v0.13.9', arch: 'amd64'}], simulatorEnv: {DCE5_SIM_DELAY_MS: '600'}});
}, 60_000);

afterAll(async () => {
	const closed = sessions.splice(0);
	await Promise.all(closed.map(async session => session.kill()));
	await Promise.all(closed.map(async session => session.ended()));
	await sshd?.stop();
	if (f) {
		// The wizard of the dropped session, if it is still there: found by its own run record.
		const {stdout} = await run('ps', ['-ww', '-eo', 'pid=,args=']);
		for (const line of stdout.split('\n').filter(item => item.includes(f.root))) {
			try {
				process.kill(Number(line.trim().split(' ')[0]), 'SIGKILL');
			} catch {
				// Gone meanwhile.
			}
		}

		await f.stop();
		await rm(f.root, {recursive: true, force: true});
	}
});

/** `ssh -tt` to the test sshd inside tmux, running `args` of the built CLI in the fixture's jump host. */
async function overSsh(args: string[]): Promise<TmuxSession> {
	const env = Object.entries({...f.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'})
		.map(([key, value]) => `${key}=${quote(value)}`)
		.join(' ');
	// No registry stands behind this fixture: nothing to read back after a step (--no-verify).
	const remote = `cd ${quote(f.workdir)} && exec env ${env} ${quote(process.execPath)} ${quote(cliPath)} ${[...args, '--no-verify'].map(arg => quote(arg)).join(' ')}`;
	const session = await startTmux({
		argv: ['ssh', '-tt', '-i', sshd!.keyPath, '-p', String(sshd!.port), ...sshd!.clientOptions, `${sshd!.user}@127.0.0.1`, remote],
		cwd: f.workdir,
		columns: 100,
		rows: 32,
	});
	sessions.push(session);
	return session;
}

/** The ssh client of this test's sessions (the one that reaches our port with our key). */
async function sshClients(): Promise<number[]> {
	const {stdout} = await run('ps', ['-ww', '-eo', 'pid=,args=']);
	return stdout
		.split('\n')
		.filter(
			line =>
				/ ssh -tt /.test(` ${line.trim().split(' ').slice(1).join(' ')}`) &&
				line.includes(sshd!.keyPath) &&
				line.includes(`-p ${sshd!.port}`),
		)
		.map(line => Number(line.trim().split(' ')[0]));
}

const bars = (screen: string) =>
	screen
		.split('\n')
		.filter(line => /[█░]{10,} \d+%$/.test(line))
		.map(line => Number(/(\d+)%$/.exec(line)![1]));

describe.skipIf(!available)('over a real SSH session (skipped without root, sshd or the built CLI)', () => {
	it('drops the connection mid-run by killing the client; after a new login, attach shows the run live and then its true end', async () => {
		const first = await overSsh(['-c', f.configPath, '-p', f.packages[0]!.path, '--yes']);
		const running = await first.waitFor(screen => screen.includes('RUN') && screen.includes('[Info]: Step 3/13'), 60_000);
		const before = bars(running);

		const clients = await sshClients();
		expect(clients).toHaveLength(1);
		process.kill(clients[0]!, 'SIGKILL');
		// The shell's "Killed <command>" line is long: the exit mark may wrap onto the next row.
		await first.waitFor(screen => screen.replaceAll('\n', '').includes('[exit:'), 20_000);
		// The wizard on the jump host outlives its SSH session and goes on with the run.
		const record = findRecord(path.join(f.root, 'state', 'addon-wizard'));
		expect(record?.status).toBe('running');
		expect(() => process.kill(record!.wizardPid, 0)).not.toThrow();

		const second = await overSsh(['attach', '-c', f.configPath]);
		const live = await second.waitFor(screen => screen.includes('RUN') && bars(screen).length === 2, 60_000);
		expect(live).not.toContain('RESULT');
		for (const [index, value] of bars(live).entries()) {
			expect(value).toBeGreaterThanOrEqual(before[index] ?? 0);
		}

		const end = await second.waitFor('RESULT', 90_000);
		expect(end).toContain('Done in');
		expect(end).not.toContain('✘');
		const logs = path.join(f.root, 'state', 'addon-wizard', 'logs');
		const {stdout: log} = await run('sh', ['-c', `cat "${logs}"/*.log`]);
		expect(log).toMatch(/run ended: ok$/m);
		await second.sendKeys('q');
		expect(await second.waitForExit(20_000)).toBe(0);
		expect(await readFile(f.configPath, 'utf8')).toContain(f.packages[0]!.path);
	}, 180_000);
});
