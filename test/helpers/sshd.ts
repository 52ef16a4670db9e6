// A real sshd for tests (Debian's openssh-server), started on 127.0.0.1 and a free port with its own
// config, host key and client key, never the system's /etc/ssh/sshd_config: key login as the test
// user (root in CI), sftp for clients that copy files (Ansible). Stopping it removes its folder and,
// when the system lacked it (a container), the privilege separation folder it made.
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir, userInfo} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as delay} from 'node:timers/promises';
import {promisify} from 'node:util';
import {freePort} from './registry.js';

const run = promisify(execFile);
export const sshdPath = '/usr/sbin/sshd';
const privsepDir = '/run/sshd';
/** Debian's sftp server; without a Subsystem line Ansible's file transfers fall back or fail. */
const sftpServer = '/usr/lib/openssh/sftp-server';

export type TestSshd = {
	/** The folder holding the config, keys and known_hosts; removed by stop(). */
	dir: string;
	port: number;
	/** Private key the client logs in with. */
	keyPath: string;
	user: string;
	/** `ssh` options that reach this server unattended (no host key prompt, no password prompt). */
	clientOptions: string[];
	stop(): Promise<void>;
};

/** Why a real sshd cannot be started here, or undefined when it can (root, sshd installed). */
export function sshdUnavailable(): string | undefined {
	if (!existsSync(sshdPath)) {
		return `${sshdPath} is missing (apt-get install -y openssh-server)`;
	}

	return process.getuid?.() === 0 ? undefined : 'sshd must run as root to log a user in';
}

async function accepting(port: number, child: ChildProcess, until: number): Promise<void> {
	for (;;) {
		const open = await new Promise<boolean>(resolve => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.end();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) {
			return;
		}

		if (child.exitCode !== null || Date.now() > until) {
			throw new Error(`sshd did not listen on 127.0.0.1:${port} (exit ${child.exitCode ?? 'none yet'})`);
		}

		await delay(100);
	}
}

function configText(dir: string, port: number): string {
	return [
		`Port ${port}`,
		'ListenAddress 127.0.0.1',
		`HostKey ${dir}/host_key`,
		`PidFile ${dir}/sshd.pid`,
		`AuthorizedKeysFile ${dir}/authorized_keys`,
		// No PAM in a container; keys only; the temp folder's modes are not a home directory's.
		'UsePAM no',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'PubkeyAuthentication yes',
		'PermitRootLogin prohibit-password',
		'StrictModes no',
		'PrintMotd no',
		'LogLevel ERROR',
		...(existsSync(sftpServer) ? [`Subsystem sftp ${sftpServer}`] : []),
		'',
	].join('\n');
}

export async function startSshd(): Promise<TestSshd> {
	const unavailable = sshdUnavailable();
	if (unavailable) {
		throw new Error(`Cannot start a test sshd: ${unavailable}`);
	}

	const dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-sshd-'));
	const port = await freePort();
	const keyPath = path.join(dir, 'id');
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
	await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
	await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${keyPath}.pub`));
	await writeFile(path.join(dir, 'sshd_config'), configText(dir, port));
	// sshd's privilege separation folder, as the system's own sshd service makes it at boot. It is
	// left in place: servers of other test files (other workers, other checkouts on this machine)
	// may be running, and a per-process count cannot see them; removing it under them failed them.
	if (!existsSync(privsepDir)) {
		await mkdir(privsepDir, {mode: 0o755, recursive: true});
	}

	await run(sshdPath, ['-t', '-f', path.join(dir, 'sshd_config')]);
	const server = spawn(sshdPath, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {stdio: ['ignore', 'ignore', 'pipe']});
	const stop = async () => {
		if (server.pid !== undefined && server.exitCode === null) {
			const gone = new Promise(resolve => {
				server.once('exit', resolve);
			});
			server.kill('SIGTERM');
			await gone;
		}

		await rm(dir, {recursive: true, force: true});
	};

	try {
		await accepting(port, server, Date.now() + 10_000);
	} catch (error) {
		await stop();
		throw error;
	}

	const clientOptions = [
		'-o',
		'StrictHostKeyChecking=no',
		'-o',
		`UserKnownHostsFile=${dir}/known_hosts`,
		'-o',
		'BatchMode=yes',
		'-o',
		'LogLevel=ERROR',
	];
	return {dir, port, keyPath, user: userInfo().username, clientOptions, stop};
}
