// Every installer line the wizard understands, in one table (docs/installer-contract.md), and
// the failure classification built on it. A different real wording is one edit here.
import type {FailureCause} from './model.js';
import {nextActions} from './next-step.js';

export type OutputLine =
	| {kind: 'step'; index: number; total: number; title: string}
	| {kind: 'chart'; chart: string; skipped: boolean}
	| {kind: 'image'; ref: string; skipped: boolean}
	| {kind: 'merge'; ref: string}
	| {kind: 'merge-skip'}
	| {kind: 'error'; text: string}
	| {kind: 'other'};

/**
 * Each pattern behind a cheap test every line it matches passes: most installer lines match none,
 * and a first-character or substring check rules a pattern out far faster than its regex.
 */
const startsWithBracket = (line: string) => line.startsWith('[');
const patterns: Array<[(line: string) => boolean, RegExp, (match: RegExpExecArray) => OutputLine]> = [
	[startsWithBracket, /^\[Info\]:\s*Step (\d+)\/(\d+):\s*(.*)$/i, m => ({kind: 'step', index: Number(m[1]), total: Number(m[2]), title: m[3]!})],
	[line => line.includes('" chart'), /\] Syncing "([^"]+)" chart/, m => ({kind: 'chart', chart: m[1]!, skipped: false})],
	[line => line.includes('" chart'), /\] Skipping "([^"]+)" chart: Already synced/, m => ({kind: 'chart', chart: m[1]!, skipped: true})],
	[line => line.startsWith('Pushing '), /^Pushing (\S+?)\.\.\.$/, m => ({kind: 'image', ref: m[1]!, skipped: false})],
	[line => line.startsWith('Image '), /^Image (\S+) already exists, skip pushing/, m => ({kind: 'image', ref: m[1]!, skipped: true})],
	[startsWithBracket, /^\[info\] import image from oci:offline-images:(\S+) to /, m => ({kind: 'merge', ref: m[1]!})],
	[startsWithBracket, /^\[warn\] skipping to push since it already exists in remote/, () => ({kind: 'merge-skip'})],
	// The installer's own `[Error]:`, kubean's `[err]`, cobra's `Error:`, klog's E lines, and a Go crash.
	[line => '[Epf'.includes(line[0] ?? ' '), /^(\[Error\]:|\[err\]|Error:|E\d{4} |panic: |fatal error: )/, m => ({kind: 'error', text: m.input})],
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

const noSpace = /no space left on device/i;
// Paths may hold spaces; the working directory may be any folder.
const leftover = /mkdir (.*?addon-offline-target-package): file exists/;
const writtenPath = /write (.+?): no space left on device/i;
// Harbor repeats the name (`name: <space>: project not found, name: <space>`); a space may carry a port.
const missingSpace = /project not found, name: (\S+?)(?:: project not found|$)/m;

/** Errors with a known cause that has no kind of its own: a message and a next step. */
const knownErrors: Array<[RegExp, (match: RegExpExecArray) => Pick<FailureCause, 'message' | 'hint' | 'then'>]> = [
	[/unknown command "(.*)" for "dce5-installer"/, m => ({
		message: `This dce5-installer does not know the command "${m[1]}".`,
		hint: 'Use the installer version that matches the addon package, or pass --import-command "import-addon" (or "import -addon") to match this one.',
	})],
	[/invalid ClusterConfig: (.*)$/m, m => ({
		message: `The installer rejected clusterConfig.yaml: ${m[1]}.`,
		hint: 'Fix clusterConfig.yaml (the wizard kept a backup beside it when it edited the file)',
		then: nextActions.retry,
	})],
	[/read (ClusterConfig|manifest) (.*): no such file or directory/, m => ({
		message: `The installer could not find its ${m[1] === 'manifest' ? 'manifest.yaml' : 'clusterConfig.yaml'}: ${m[2]}.`,
		hint: m[1] === 'manifest' ? 'Pass -m /path/to/manifest.yaml (it sits beside clusterConfig.yaml in offline/sample).' : 'Pass -c /path/to/clusterConfig.yaml.',
	})],
	[/open (.*): no such file or directory/, m => ({
		message: `The package ${m[1]} is gone.`,
		hint: 'Put it back (or choose another package)',
		then: nextActions.cleanupAndRetry,
	})],
	[/failed to unpack addon package: (incorrect header check|unexpected end of file|invalid .*)$/m, m => ({
		message: `The package is damaged (${m[1]}).`,
		hint: 'Download it again and compare its sha512 with the download page',
		then: nextActions.cleanupAndRetry,
	})],
];

/** A shell reports death by signal n as status 128+n; an installer run through a wrapper script does too. */
const signalNames: Record<number, string> = {1: 'SIGHUP', 2: 'SIGINT', 9: 'SIGKILL', 15: 'SIGTERM'};

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
	/** Set when the wizard itself stopped the installer (Ctrl+C or the disk floor). */
	stoppedBy?: 'user' | 'disk-floor';
};

/** The signal that ended the step, also when a wrapper or the installer turned it into a status. */
function stopSignal(exit: StepExit): string | undefined {
	// Stopped by the wizard: whatever status it chose on the way out, the cause is the stop.
	return exit.signal ?? signalNames[(exit.exitCode ?? 0) - 128] ?? (exit.stoppedBy ? 'SIGINT' : undefined);
}

/** Names the cause of a failed step and the next step, from its exit and its output. */
export function classifyFailure(exit: StepExit): FailureCause {
	const {installerPath: installer} = exit;
	if (exit.spawnError === 'ENOENT') {
		return {kind: 'installer-missing', path: installer, message: `Installer not found: ${installer}.`, hint: 'Copy dce5-installer to the jump host or pass --installer PATH.'};
	}

	if (exit.spawnError === 'EACCES') {
		return {kind: 'installer-not-executable', path: installer, message: `Installer is not executable: ${installer}.`, hint: `Run chmod +x ${installer}, then retry.`};
	}

	if (exit.spawnError === 'ENOEXEC') {
		const detail = exit.spawnDetail ? `: ${exit.spawnDetail}` : '';
		return {kind: 'installer-cannot-run', path: installer, message: `Installer cannot run on this machine (wrong architecture or not a program): ${installer}${detail}.`, hint: 'Copy the dce5-installer built for this CPU (uname -m) and pass --installer PATH.'};
	}

	if (exit.spawnError) {
		return {kind: 'unknown', message: `Installer could not start (${exit.spawnError}).`, hint: 'Check the installer path and permissions', then: nextActions.retry, lastErrors: exit.errorLines};
	}

	return classifyOutput(exit);
}

function classifyOutput(exit: StepExit): FailureCause {
	const text = exit.errorLines.join('\n');
	const target = `${exit.cwd.replace(/\/$/, '')}/addon-offline-target-package`;
	const leftoverMatch = leftover.exec(text);
	if (leftoverMatch) {
		return {kind: 'leftover-target', path: leftoverMatch[1] ?? target, message: 'A failed earlier run left addon-offline-target-package behind.', hint: '', then: {...nextActions.cleanupAndRetry, text: 'remove it and retry (same as rm -rf addon-offline-target-package)'}};
	}

	if (noSpace.test(text)) {
		const written = writtenPath.exec(text)?.[1];
		return {kind: 'no-space', path: written, message: `No space left on device${written ? ` while writing ${written}` : ''}.`, hint: 'Free space on that filesystem (or use --workdir on a bigger one)', then: nextActions.cleanupAndRetry};
	}

	const spaceMatch = missingSpace.exec(text);
	if (spaceMatch) {
		const space = spaceMatch[1]!;
		return {kind: 'registry-space-missing', space, message: `Registry space "${space}" does not exist in the target registry.`, hint: `Create the project "${space}" in the registry (Harbor: Projects > New Project)`, then: nextActions.retry};
	}

	const signal = stopSignal(exit);
	if (signal) {
		const who = exit.stoppedBy === 'user' ? 'you stopped it' : exit.stoppedBy === 'disk-floor' ? 'the disk was about to fill' : 'something outside the wizard killed it';
		const how = exit.signal ? `ended by ${signal}` : `stopped (${signal}) and exited with status ${exit.exitCode ?? '?'}`;
		return {kind: 'killed', signal, message: `Installer ${how} (${who}).`, hint: 'It may have left addon-offline-target-package behind', then: nextActions.cleanupAndRetry};
	}

	for (const [pattern, describe] of knownErrors) {
		const match = pattern.exec(text);
		if (match) {
			return {kind: 'unknown', ...describe(match), lastErrors: exit.errorLines.slice(-5)};
		}
	}

	return {kind: 'unknown', message: `Installer exited with status ${exit.exitCode ?? '?'}.`, hint: 'Read the last error lines and the full log, fix the cause', then: nextActions.retry, lastErrors: exit.errorLines.slice(-5)};
}
