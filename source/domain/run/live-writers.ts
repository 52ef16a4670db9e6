// Who may still be writing into an addon-offline-target-package, from a scan of the processes on
// the host and the wizard's own run records: the one question asked before any cleanup. Deleting a
// directory a live installer unpacks into turns a slow import into a corrupt one.
import path from 'node:path';
import {exitCodes, type WizardError} from '../shared/wizard-error.js';

/** What a scan of /proc says about one process (paths already resolved through symlinks). */
export type ScannedProcess = {
	pid: number;
	pgid: number;
	argv: string[];
	cwd?: string;
	/** Its open files that lie inside the directories the scan was asked about. */
	openPaths: string[];
};

/** A run the wizard recorded whose installer is still alive, in this working directory. */
export type RecordedInstaller = {pid: number; wizardPid: number; configPath: string};

export type LiveWriter = {pid: number; pgid: number; command: string; why: string};

export type WriterQuestion = {
	/** The directory about to be removed, resolved. */
	target: string;
	/** The installer's working directory, resolved. */
	workdir: string;
	/** Base names an installer goes by (`dce5-installer`, the plan's installer file). */
	installerNames: string[];
	/** This process: it measures the directory, it never writes there. */
	selfPid: number;
	/** This process's group: never taken for an installer's, whatever else runs in it. */
	selfGroup?: number;
	recorded: RecordedInstaller[];
};

const inside = (file: string, dir: string) => file === dir || file.startsWith(`${dir}/`);

/** `dce5-installer`, also as `node /root/dce5-installer …` or `/bin/sh ./dce5-installer …`. */
function runsInstaller(argv: string[], names: string[]): boolean {
	return argv.slice(0, 2).some(arg => names.includes(path.posix.basename(arg)));
}

export function commandOf(argv: string[]): string {
	const program = path.posix.basename(argv[0] ?? '?');
	// An interpreter says little: name the script it runs.
	return /^(node|python\d*(\.\d+)?|perl|ruby|bash|sh|dash)$/.test(program) && argv[1]
		? `${program} ${path.posix.basename(argv[1])}`
		: program;
}

export function liveWriters(processes: ScannedProcess[], question: WriterQuestion): LiveWriter[] {
	const found = new Map<number, LiveWriter>();
	const add = (pid: number, pgid: number, command: string, why: string) => {
		if (pid !== question.selfPid && !found.has(pid)) {
			found.set(pid, {pid, pgid, command, why});
		}
	};

	for (const item of question.recorded) {
		// The wizard starts each installer as the leader of its own group.
		add(item.pid, item.pid, 'dce5-installer', `started by addon-wizard (pid ${item.wizardPid}) for ${item.configPath}`);
	}

	for (const item of processes) {
		const command = commandOf(item.argv);
		if (item.cwd && inside(item.cwd, question.target)) {
			add(item.pid, item.pgid, command, 'works inside it');
		} else if (item.openPaths.some(file => inside(file, question.target))) {
			add(item.pid, item.pgid, command, 'has files open in it');
		} else if (item.cwd === question.workdir && runsInstaller(item.argv, question.installerNames)) {
			add(item.pid, item.pgid, command, `runs in ${question.workdir}`);
		}
	}

	// The helpers of an installer found above (charts-syncer, skopeo) share its process group, which
	// it leads (the wizard starts it so; so does a shell's job control). A group it merely joined is
	// not its own: it may be the shell's, or the wizard's.
	const groups = new Set(
		[...found.values()].filter(item => item.pid === item.pgid && item.pgid !== question.selfGroup).map(item => item.pgid),
	);
	for (const item of processes) {
		if (groups.has(item.pgid) && !found.has(item.pid)) {
			add(item.pid, item.pgid, commandOf(item.argv), `in the process group of pid ${item.pgid}`);
		}
	}

	return [...found.values()].sort((a, b) => a.pid - b.pid);
}

/** The refusal: which processes, and what to do. */
export function liveWriterRefusal(target: string, writers: LiveWriter[]): WizardError {
	const named = writers
		.slice(0, 5)
		.map(item => `${item.command} (pid ${item.pid}, ${item.why})`)
		.join('; ');
	const more = writers.length > 5 ? `; and ${writers.length - 5} more` : '';
	const groups = [...new Set(writers.map(item => item.pgid))].map(pgid => `-${pgid}`).join(' ');
	return {
		kind: 'installer-running',
		message: `Refusing to remove ${target}: a live installer is still writing there: ${named}${more}.`,
		hint: `Wait for it to finish (watch it with \`addon-wizard attach\`), or stop it first (kill -INT ${groups} stops its process group), then retry.`,
		exitCode: exitCodes.blocked,
	};
}
