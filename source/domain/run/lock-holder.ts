// Who holds a run's lock, and how a second operator is told: the lock lives in the working
// directory and beside clusterConfig.yaml, where every operator who can run there can read it, so
// what it says is written for another person (their user, pid, command, since when, what to do),
// never for the wizard that wrote it.
import {formatDuration} from '../shared/format-bytes.js';
import {exitCodes, type WizardError} from '../shared/wizard-error.js';

/** What a lock file says about the wizard that holds it. No password: `command` is masked. */
export type LockHolder = {
	pid: number;
	/** Boot id and start time of `pid` (proc(5)), so a pid the kernel has given to another program is not taken for it. */
	identity?: string;
	user: string;
	uid: number;
	host: string;
	/** The wizard's command line, passwords masked. */
	command: string;
	/** Epoch milliseconds. */
	since: number;
	configPath: string;
	/** The run record the holder writes, for `attach` and `status` from another account. */
	recordPath: string;
	logPath?: string;
};

/** What a lock guards: the config (one run per config) or a working directory (one installer per folder). */
export type LockSubject = {file: string; configPath: string; workdir?: string};

/** One line that names the holder for a person: who, which process where, since when, doing what. */
export function describeHolder(holder: LockHolder, now: number): string {
	const since = new Date(holder.since)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d+Z$/, ' UTC');
	return `user ${holder.user} (uid ${holder.uid}), pid ${holder.pid} on ${holder.host}, since ${since} (${formatDuration(now - holder.since)} ago): ${holder.command}`;
}

const where = (subject: LockSubject, holder: LockHolder | undefined) =>
	subject.workdir
		? `in the working directory ${subject.workdir}${holder && holder.configPath !== subject.configPath ? ` (against ${holder.configPath})` : ''}`
		: `against ${subject.configPath}`;

/** The refusal a second operator gets: the holder named, and the three things they can do. */
export function lockedBy(holder: LockHolder, subject: LockSubject, facts: {now: number; thisHost: string}): WizardError {
	const elsewhere =
		holder.host === facts.thisHost ? '' : ` It runs on another host (${holder.host}), so this host cannot tell whether it still lives.`;
	return {
		kind: 'locked',
		message: `Another addon-wizard is already running ${where(subject, holder)}: ${describeHolder(holder, facts.now)}.${elsewhere}`,
		hint: `Wait for it to finish, follow it with \`addon-wizard attach -c ${holder.configPath}\` or ask \`addon-wizard status -c ${holder.configPath}\`${holder.logPath ? `; its log is ${holder.logPath}` : ''}. If pid ${holder.pid} on ${holder.host} is not an addon-wizard, remove ${subject.file}.`,
		exitCode: exitCodes.blocked,
	};
}

/** The same process asking twice (a second run from one wizard). */
export function lockedBySelf(subject: LockSubject, pid: number): WizardError {
	return {
		kind: 'locked',
		message: `This addon-wizard (pid ${pid}) already runs ${where(subject, undefined)}.`,
		hint: 'Wait for its run to finish.',
		exitCode: exitCodes.blocked,
	};
}

/** What is said (stderr and the run log) when a stale lock is replaced: whose it was and why it no longer counts. */
export function tookOverWords(holder: LockHolder | undefined, file: string, now: number): string {
	return holder
		? `took over the stale lock ${file}: its holder is no longer running (${describeHolder(holder, now)}).`
		: `took over the lock ${file}: it was left unfinished or unreadable by a wizard that is gone.`;
}

/** A live installer found on the host (its wizard gone, or started by hand), as a refusal. */
export type RunningInstaller = {pid: number; user: string; command: string; why: string};

export function installerRunning(found: RunningInstaller[], configPath: string): WizardError {
	const named = found
		.slice(0, 3)
		.map(item => `pid ${item.pid} of user ${item.user} (${item.why}): ${item.command}`)
		.join('; ');
	return {
		kind: 'locked',
		message: `An installer is already running where this run would: ${named}.`,
		hint: `Wait for it to finish (\`addon-wizard attach -c ${configPath}\` or \`addon-wizard status -c ${configPath}\` shows a run a wizard started); if it is abandoned, stop it with kill -INT -${found[0]?.pid ?? 0} (its process group) and run again.`,
		exitCode: exitCodes.blocked,
	};
}
