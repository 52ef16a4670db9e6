// Every installer line the wizard understands, in one table (docs/installer-contract.md), and
// the failure classification built on it and on what the step left behind (the target directory,
// the filesystem). A different real wording is one edit here.
import {formatBytes} from '../shared/format-bytes.js';
import type {FailureCause, FilesystemFacts} from './run-events.js';
import {nextActions} from '../shared/next-step.js';

export type OutputLine =
	| {kind: 'step'; index: number; total: number; title: string}
	| {kind: 'chart'; chart: string; skipped: boolean}
	| {kind: 'image'; ref: string; skipped: boolean}
	/** kubean's merge: `ref` as in the package, `target` the tag it lands at (without `-<arch>`). */
	| {kind: 'merge'; ref: string; target?: string}
	| {kind: 'merge-skip'}
	| {kind: 'error'; text: string}
	| {kind: 'other'};

/** The `-<arch>` kubean appends to the per-arch tag of a merge. */
const archSuffix = /-(amd64|arm64|arm|386|ppc64le|s390x|riscv64|loong64|mips64le)$/;

/**
 * What counts as an error line: the installer's `[Error]:`, kubean's `[err]`, cobra's `Error:`,
 * klog's E lines, a Go crash, kind's `ERROR:`, GNU tar's failures (`tar: …: Cannot write: No space
 * left on device`, `tar: …: Wrote only 9728 of 10240 bytes`) and logrus at level error or fatal
 * (Harbor's and skopeo's `time="…" level=error msg="…"`).
 */
const errorLine =
	/^(\[Error\]:|\[err\]|Error:|ERROR: |E\d{4} |panic: |fatal error: |tar: .*(Cannot (write|open|mkdir|create)|Wrote only \d+ of \d+ bytes|Error is not recoverable|Exiting with failure)|time="[^"]*" level=(error|fatal) )/;

/**
 * Each pattern behind a cheap test every line it matches passes: most installer lines match none,
 * and a first-character or substring check rules a pattern out far faster than its regex.
 */
const startsWithBracket = (line: string) => line.startsWith('[');
const patterns: Array<[(line: string) => boolean, RegExp, (match: RegExpExecArray) => OutputLine]> = [
	[
		startsWithBracket,
		/^\[Info\]:\s*Step (\d+)\/(\d+):\s*(.*)$/i,
		m => ({kind: 'step', index: Number(m[1]), total: Number(m[2]), title: m[3]!}),
	],
	[line => line.includes('" chart'), /\] Syncing "([^"]+)" chart/, m => ({kind: 'chart', chart: m[1]!, skipped: false})],
	[line => line.includes('" chart'), /\] Skipping "([^"]+)" chart: Already synced/, m => ({kind: 'chart', chart: m[1]!, skipped: true})],
	[line => line.startsWith('Pushing '), /^Pushing (\S+?)\.\.\.$/, m => ({kind: 'image', ref: m[1]!, skipped: false})],
	[line => line.startsWith('Image '), /^Image (\S+) already exists, skip pushing/, m => ({kind: 'image', ref: m[1]!, skipped: true})],
	[
		startsWithBracket,
		/^\[info\] import image from oci:offline-images:(\S+) to (\S+)/,
		m => ({kind: 'merge', ref: m[1]!, target: m[2]!.replace(archSuffix, '')}),
	],
	[startsWithBracket, /^\[warn\] skipping to push since it already exists in remote/, () => ({kind: 'merge-skip'})],
	[line => '[EpftT'.includes(line[0] ?? ' '), errorLine, m => ({kind: 'error', text: m.input})],
];

const other: OutputLine = {kind: 'other'};

export function parseOutputLine(line: string): OutputLine {
	for (const [could, pattern, make] of patterns) {
		if (!could(line)) {
			continue;
		}

		const match = pattern.exec(line);
		if (match) {
			return make(match);
		}
	}

	return other;
}

const noSpace = /no space left on device|Wrote only \d+ of \d+ bytes/i;
// Paths may hold spaces; the working directory may be any folder.
const leftover = /mkdir (.*?addon-offline-target-package): file exists|(\S*addon-offline-target-package) already exists/;
const writtenPath = /write (.+?): no space left on device|tar: (.+?): (?:Cannot write: No space left on device|Wrote only)/i;
/**
 * Harbor's v2auth refusal (`name: <p>: project not found, name: <p>`), also inside a logrus
 * `msg="…"`: the name is what Harbor accepts as a project (lower case, digits, `._-` between),
 * so a closing quote or colon is never part of it; a registry's port is kept.
 */
const missingSpace = /project not found, name: ([a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?)/;
const unreachable: Array<[RegExp, string]> = [
	[/dial tcp (\S+?): connect: connection refused/, 'refused the connection'],
	[/dial tcp: lookup (\S+?)(?: on \S+)?: no such host/, 'has a name this host cannot resolve (no such host)'],
	[/dial tcp (\S+?): (?:i\/o timeout|connect: connection timed out)/, 'did not answer (timed out)'],
	[/read tcp \S+->(\S+?): read: connection reset by peer/, 'dropped the connection (reset by peer)'],
];
const damaged =
	/failed to unpack addon package: (unexpected EOF|incorrect header check|unexpected end of file|archive\/tar: .*|invalid .*)$|import addon failed: read bundle (.*)$/m;

/** Errors with a known cause that has no kind of its own: a message and a next step. */
const knownErrors: Array<[RegExp, (match: RegExpExecArray) => Pick<FailureCause, 'message' | 'hint' | 'then'>]> = [
	[
		/unknown command "(.*)" for "dce5-installer"/,
		m => ({
			message: `This dce5-installer does not know the command "${m[1]}".`,
			hint: 'Use the installer version that matches the addon package, or pass --import-command "import-addon" (or "import -addon") to match this one.',
		}),
	],
	[
		/invalid ClusterConfig: (.*)$/m,
		m => ({
			message: `The installer rejected clusterConfig.yaml: ${m[1]}.`,
			hint: 'Fix clusterConfig.yaml (the wizard kept a backup beside it when it edited the file)',
			then: nextActions.retry,
		}),
	],
	[
		/read (ClusterConfig|manifest) (.*): no such file or directory/,
		m => ({
			message: `The installer could not find its ${m[1] === 'manifest' ? 'manifest.yaml' : 'clusterConfig.yaml'}: ${m[2]}.`,
			hint:
				m[1] === 'manifest'
					? 'Pass -m /path/to/manifest.yaml (it sits beside clusterConfig.yaml in offline/sample).'
					: 'Pass -c /path/to/clusterConfig.yaml.',
		}),
	],
	[
		/open (.*): no such file or directory/,
		m => ({
			message: `The package ${m[1]} is gone.`,
			hint: 'Put it back (or choose another package)',
			then: nextActions.cleanupAndRetry,
		}),
	],
];

/** A shell reports death by signal n as status 128+n; an installer run through a wrapper script does too. */
const signalNames: Record<number, string> = {1: 'SIGHUP', 2: 'SIGINT', 9: 'SIGKILL', 15: 'SIGTERM'};

/** What the step left behind, looked at after it ended: causes come from the state as well as the wording. */
export type StepState = {
	/** addon-offline-target-package was already there when the installer started. */
	targetBefore?: boolean;
	/** addon-offline-target-package after the step, with its size. */
	leftover?: {path: string; bytes: number};
	/** The working directory's filesystem after the step. */
	filesystem?: FilesystemFacts;
	/** Bytes the step writes (the plan's estimate). */
	expectedBytes?: number;
};

export type StepExit = {
	exitCode?: number;
	signal?: string;
	/** errno code when the installer could not be started at all (ENOENT, EACCES, ENOEXEC). */
	spawnError?: string;
	/** Why the file cannot be executed, when known (`an aarch64 binary on this x64 machine`). */
	spawnDetail?: string;
	installerPath: string;
	/** The installer's working directory. */
	cwd: string;
	/** The last error-looking lines, oldest first. */
	errorLines: string[];
	/** The first error-looking line, which `errorLines` may have let go. */
	firstErrorLine?: string;
	/** How many error-looking lines there were in all (`errorLines.length` when absent). */
	errorLineCount?: number;
	/** The last lines of any kind, shown when none looked like an error. */
	recentLines?: string[];
	/** Set when the wizard itself stopped the installer (Ctrl+C or the disk floor). */
	stoppedBy?: 'user' | 'disk-floor';
	state?: StepState;
};

/** A filesystem this close to empty is full: root writes into the reserved blocks until none are left. */
export function filesystemFull(fs: FilesystemFacts): boolean {
	return fs.freeBytes < Math.min(64 * 1024 * 1024, fs.totalBytes * 0.01);
}

/** `/srv (ext4 on /dev/sda3)`, or the path when the mount is not known. */
export function describeFilesystem(fs: FilesystemFacts): string {
	const what = [fs.fsType, fs.source ? `on ${fs.source}` : undefined].filter(Boolean).join(' ');
	return `${fs.mountPoint ?? fs.path}${what ? ` (${what})` : ''}`;
}

/** The signal that ended the step, also when a wrapper or the installer turned it into a status. */
function stopSignal(exit: StepExit): string | undefined {
	// Stopped by the wizard: whatever status it chose on the way out, the cause is the stop.
	return exit.signal ?? signalNames[(exit.exitCode ?? 0) - 128] ?? (exit.stoppedBy ? 'SIGINT' : undefined);
}

/** Names the cause of a failed step and the next step, from its exit, its output and what it left. */
export function classifyFailure(exit: StepExit): FailureCause {
	const {installerPath: installer} = exit;
	if (exit.spawnError === 'ENOENT') {
		return {
			kind: 'installer-missing',
			path: installer,
			message: `Installer not found: ${installer}.`,
			hint: 'Copy dce5-installer to the jump host or pass --installer PATH.',
		};
	}

	if (exit.spawnError === 'EACCES') {
		return {
			kind: 'installer-not-executable',
			path: installer,
			message: `Installer is not executable: ${installer}.`,
			hint: `Run chmod +x ${installer}, then retry.`,
		};
	}

	if (exit.spawnError === 'ENOEXEC') {
		const detail = exit.spawnDetail ? `: ${exit.spawnDetail}` : '';
		return {
			kind: 'installer-cannot-run',
			path: installer,
			message: `Installer cannot run on this machine (wrong architecture or not a program): ${installer}${detail}.`,
			hint: 'Copy the dce5-installer built for this CPU (uname -m) and pass --installer PATH.',
		};
	}

	if (exit.spawnError) {
		return {
			kind: 'unknown',
			message: `Installer could not start (${exit.spawnError}).`,
			hint: 'Check the installer path and permissions',
			then: nextActions.retry,
			lastErrors: exit.errorLines,
		};
	}

	return withFirstError(classifyOutput(exit), exit);
}

/**
 * The cause with the installer's first error line when the lines it quotes no longer hold it:
 * retries bury the first error (often the cause) under later ones (reference §10.2).
 */
export function withFirstError(
	cause: FailureCause,
	exit: Pick<StepExit, 'firstErrorLine' | 'errorLineCount' | 'errorLines'>,
): FailureCause {
	const first = exit.firstErrorLine;
	if (first === undefined || !('lastErrors' in cause) || cause.lastErrors.includes(first)) {
		return cause;
	}

	return {...cause, firstError: {line: first, ofLines: Math.max(exit.errorLineCount ?? 0, exit.errorLines.length)}};
}

function noSpaceCause(exit: StepExit, text: string): FailureCause {
	const match = writtenPath.exec(text);
	const written = match?.[1] ?? match?.[2];
	const fs = exit.state?.filesystem;
	const cwd = exit.cwd.replace(/\/$/, '');
	// The filesystem measured is the working directory's; a write elsewhere is named by its path only.
	const ours = fs && (!written || !written.startsWith('/') || written.startsWith(`${cwd}/`));
	if (!ours) {
		return {
			kind: 'no-space',
			path: written,
			message: `No space left on device${written ? ` while writing ${written}` : ''}.`,
			hint: 'Free space on that filesystem (or use --workdir on a bigger one)',
			then: nextActions.cleanupAndRetry,
		};
	}

	const leftoverBytes = exit.state?.leftover?.bytes ?? 0;
	const expected = exit.state?.expectedBytes ?? 0;
	const toFreeBytes = Math.max(0, expected - (fs.freeBytes + leftoverBytes));
	const where = describeFilesystem(fs);
	const during = written ? ` while writing ${written}` : '';
	if (!filesystemFull(fs) && toFreeBytes === 0) {
		// The wording says full, the filesystem has room now: say both, and do not guess which.
		return {
			kind: 'no-space',
			path: written,
			filesystem: fs,
			toFreeBytes,
			message: `The installer ran out of space${during}, yet ${where} has ${formatBytes(fs.freeBytes)} free now (the step writes about ${formatBytes(expected)}): a quota, another filesystem, or space given back since.`,
			hint: 'Free space on the filesystem that filled (df -h; quotas: repquota), or use --workdir on a bigger one',
			then: nextActions.cleanupAndRetry,
		};
	}

	const back =
		leftoverBytes > 0
			? `; removing the leftover ${exit.state?.leftover?.path ?? 'addon-offline-target-package'} gives back ${formatBytes(leftoverBytes)}`
			: '';
	const hint =
		toFreeBytes > 0
			? `Free at least ${formatBytes(toFreeBytes)} more on ${fs.mountPoint ?? fs.path} (the step writes about ${formatBytes(expected)}${back}), or pass --workdir DIR on a bigger filesystem`
			: `Removing the leftover gives back enough (the step writes about ${formatBytes(expected)}${back})`;
	return {
		kind: 'no-space',
		path: written,
		filesystem: fs,
		toFreeBytes,
		message: `No space left on ${where}${during}: ${formatBytes(fs.freeBytes)} free of ${formatBytes(fs.totalBytes)}.`,
		hint,
		then: nextActions.cleanupAndRetry,
	};
}

function unreachableCause(text: string, lastErrors: string[]): FailureCause | undefined {
	for (const [pattern, what] of unreachable) {
		const match = pattern.exec(text);
		if (!match) {
			continue;
		}

		const address = match[1]!;
		const line = text.split('\n').find(item => item.includes(match[0])) ?? '';
		const url = /"(https?:\/\/[^/"\s]+)/.exec(line)?.[1] ?? /(https?:\/\/[^/"\s]+)/.exec(line)?.[1];
		const part = /chart/i.test(line) ? 'chart repository' : 'registry';
		return {
			kind: 'registry-unreachable',
			address,
			message: `The ${part} at ${url ?? address} ${what}.`,
			hint: `Check that the ${part} at ${url ?? address} is running and reachable from this host (curl -v ${url ?? `http://${address}`}/v2/)`,
			then: nextActions.cleanupAndRetry,
			lastErrors,
		};
	}

	return undefined;
}

function classifyOutput(exit: StepExit): FailureCause {
	// The first error counts too: a retry loop may have pushed the cause out of the last lines.
	const buried = exit.firstErrorLine !== undefined && !exit.errorLines.includes(exit.firstErrorLine);
	const text = (buried ? [exit.firstErrorLine!, ...exit.errorLines] : exit.errorLines).join('\n');
	const target = `${exit.cwd.replace(/\/$/, '')}/addon-offline-target-package`;
	const lastErrors = exit.errorLines.slice(-5);
	const leftoverMatch = leftover.exec(text);
	// A directory that was there before the installer started is why it failed, whatever it printed.
	if (leftoverMatch || exit.state?.targetBefore) {
		const where = leftoverMatch?.[1] ?? (leftoverMatch?.[2]?.startsWith('/') ? leftoverMatch[2] : undefined) ?? target;
		return {
			kind: 'leftover-target',
			path: where,
			message: `A failed earlier run left addon-offline-target-package behind in ${exit.cwd}.`,
			hint: '',
			then: {...nextActions.cleanupAndRetry, text: 'remove it and retry (same as rm -rf addon-offline-target-package)'},
		};
	}

	const full = exit.state?.filesystem && filesystemFull(exit.state.filesystem) && exit.stoppedBy === undefined;
	if (noSpace.test(text) || full) {
		return noSpaceCause(exit, text);
	}

	const spaceMatch = missingSpace.exec(text);
	if (spaceMatch) {
		const space = spaceMatch[1]!;
		return {
			kind: 'registry-space-missing',
			space,
			message: `Registry space "${space}" does not exist in the target registry.`,
			hint: `Create the project "${space}" in the registry (Harbor: Projects > New Project)`,
			then: nextActions.retry,
		};
	}

	const down = unreachableCause(text, lastErrors);
	if (down) {
		return down;
	}

	const signal = stopSignal(exit);
	if (signal) {
		const who =
			exit.stoppedBy === 'user'
				? 'you stopped it'
				: exit.stoppedBy === 'disk-floor'
					? 'the disk was about to fill'
					: 'something outside the wizard killed it';
		const how = exit.signal ? `ended by ${signal}` : `stopped (${signal}) and exited with status ${exit.exitCode ?? '?'}`;
		return {
			kind: 'killed',
			signal,
			message: `Installer ${how} (${who}).`,
			hint: 'It may have left addon-offline-target-package behind',
			then: nextActions.cleanupAndRetry,
		};
	}

	const broken = damaged.exec(text);
	if (broken) {
		const detail = broken[1] ?? broken[2]!;
		return {
			kind: 'package-damaged',
			detail,
			message: `The package is damaged (${detail}).`,
			hint: 'Download it again and compare its sha512 with the download page',
			then: nextActions.cleanupAndRetry,
			lastErrors,
		};
	}

	for (const [pattern, describe] of knownErrors) {
		const match = pattern.exec(text);
		if (match) {
			return {kind: 'unknown', ...describe(match), lastErrors};
		}
	}

	return {
		kind: 'unknown',
		message: `Installer exited with status ${exit.exitCode ?? '?'}.`,
		hint: 'Read the last error lines and the full log, fix the cause',
		then: nextActions.retry,
		lastErrors,
		...(lastErrors.length === 0 && exit.recentLines?.length ? {lastLines: exit.recentLines.slice(-5)} : {}),
	};
}
