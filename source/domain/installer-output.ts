// Every installer line the wizard understands, in one table (docs/installer-contract.md), and
// the failure classification built on it. A different real wording is one edit here.
import type {FailureCause} from './model.js';

export type OutputLine =
	| {kind: 'step'; index: number; total: number; title: string}
	| {kind: 'chart'; chart: string; skipped: boolean}
	| {kind: 'image'; ref: string; skipped: boolean}
	| {kind: 'merge'; ref: string}
	| {kind: 'merge-skip'}
	| {kind: 'error'; text: string}
	| {kind: 'other'};

const patterns: Array<[RegExp, (match: RegExpExecArray) => OutputLine]> = [
	[/^\[Info\]:\s*Step (\d+)\/(\d+):\s*(.*)$/i, m => ({kind: 'step', index: Number(m[1]), total: Number(m[2]), title: m[3]!})],
	[/\] Syncing "([^"]+)" chart/, m => ({kind: 'chart', chart: m[1]!, skipped: false})],
	[/\] Skipping "([^"]+)" chart: Already synced/, m => ({kind: 'chart', chart: m[1]!, skipped: true})],
	[/^Pushing (\S+?)\.\.\.$/, m => ({kind: 'image', ref: m[1]!, skipped: false})],
	[/^Image (\S+) already exists, skip pushing/, m => ({kind: 'image', ref: m[1]!, skipped: true})],
	[/^\[info\] import image from oci:offline-images:(\S+) to /, m => ({kind: 'merge', ref: m[1]!})],
	[/^\[warn\] skipping to push since it already exists in remote/, () => ({kind: 'merge-skip'})],
	[/^(\[Error\]:|\[err\]|Error:|E\d{4} )/, m => ({kind: 'error', text: m.input})],
];

export function parseOutputLine(line: string): OutputLine {
	for (const [pattern, make] of patterns) {
		const match = pattern.exec(line);
		if (match) {
			return make(match);
		}
	}

	return {kind: 'other'};
}

const noSpace = /no space left on device/i;
const leftover = /mkdir (\S*addon-offline-target-package): file exists/;
const missingSpace = /project not found, name: ([^\s:]+)/;

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
		return {kind: 'installer-not-executable', path: installer, message: `Installer cannot run on this machine (wrong architecture or not a program): ${installer}${detail}.`, hint: 'Download the dce5-installer built for this CPU (uname -m) and pass --installer PATH.'};
	}

	if (exit.spawnError) {
		return {kind: 'unknown', message: `Installer could not start (${exit.spawnError}).`, hint: 'Check the installer path and permissions, then retry.', lastErrors: exit.errorLines};
	}

	const text = exit.errorLines.join('\n');
	const target = `${exit.cwd.replace(/\/$/, '')}/addon-offline-target-package`;
	const leftoverMatch = leftover.exec(text);
	if (leftoverMatch) {
		return {kind: 'leftover-target', path: leftoverMatch[1] ?? target, message: 'A failed earlier run left addon-offline-target-package behind.', hint: 'Press r to remove it and retry (same as rm -rf addon-offline-target-package).'};
	}

	if (noSpace.test(text)) {
		const written = /write (\S+): no space left/.exec(text)?.[1];
		return {kind: 'no-space', path: written, message: `No space left on device${written ? ` while writing ${written}` : ''}.`, hint: 'Free space on that filesystem (or use --workdir on a bigger one), then press r to clean up and retry.'};
	}

	const spaceMatch = missingSpace.exec(text);
	if (spaceMatch) {
		const space = spaceMatch[1]!;
		return {kind: 'registry-space-missing', space, message: `Registry space "${space}" does not exist in the target registry.`, hint: `Create the project "${space}" in the registry (Harbor: Projects > New Project), then press r to retry.`};
	}

	if (exit.signal) {
		const who = exit.stoppedBy === 'user' ? 'you stopped it' : exit.stoppedBy === 'disk-floor' ? 'the disk was about to fill' : 'something outside the wizard killed it';
		return {kind: 'killed', signal: exit.signal, message: `Installer ended by ${exit.signal} (${who}).`, hint: 'It left addon-offline-target-package behind: press r to clean up and retry.'};
	}

	return {kind: 'unknown', message: `Installer exited with status ${exit.exitCode ?? '?'}.`, hint: 'Read the last error lines below and the full log (press l), fix the cause, then press r.', lastErrors: exit.errorLines.slice(-5)};
}
