// `addon-wizard status` as a few lines of text: the same Status document the JSON prints, worded.
import type {StatusDocument} from '../contract/status.js';

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

const outcomeWords: Record<NonNullable<StatusDocument['outcome']>, string> = {
	succeeded: 'succeeded',
	failed: 'failed',
	'finished-with-errors': 'finished with errors',
	'verification-failed': 'not verified: the registry does not hold what the step should have left',
	'not-verified': 'finished, not verified: the registry could not be read',
	stopped: 'stopped',
	unknown: 'ended without saying how: its wizard and installer are gone',
};

function headline(status: StatusDocument): string {
	const against = status.config ?? 'any config on this host';
	switch (status.state) {
		case 'none': {
			return `addon-wizard: no run recorded against ${against}.`;
		}

		case 'running': {
			return `addon-wizard: a run is going against ${against}.`;
		}

		case 'ended': {
			const code = status.exitCode === undefined ? '' : ` (exit code ${status.exitCode})`;
			return `addon-wizard: the last run against ${against} ${outcomeWords[status.outcome ?? 'unknown']}${code}.`;
		}
	}
}

const alive = (live: boolean | undefined) => (live ? 'running' : 'gone');

function processLine(status: StatusDocument): string {
	const wizard = `wizard ${alive(status.wizardAlive)} (pid ${status.pid}${status.user ? `, ${status.user}` : ''})`;
	const installer = status.installerPid ? `installer ${alive(status.installerAlive)} (pid ${status.installerPid})` : 'no installer started';
	return `${wizard}, ${installer}`;
}

function verifiedWords(verified: boolean | undefined): string {
	return verified === undefined ? 'not checked' : verified ? 'the registry holds what it should' : 'NOT verified';
}

export function renderStatusText(status: StatusDocument): string {
	if (status.state === 'none' || status.runId === undefined) {
		return `${headline(status)}\n  next: start one with \`addon-wizard\` or \`addon-wizard run --yes -c CONFIG -p PACKAGE\`.\n`;
	}

	const rows = [
		['run', `${status.runId}, started ${when(status.startedAt!)}${status.endedAt ? `, ended ${when(status.endedAt)}` : ''}`],
		['step', status.step ? `${status.step.index} of ${status.step.count}: ${status.step.title}` : undefined],
		['verified', status.note ? undefined : verifiedWords(status.verified)],
		['note', status.note],
		['processes', processLine(status)],
		['log', status.logPath],
	] as const;
	const lines = rows.filter(([, text]) => text !== undefined).map(([name, text]) => `  ${`${name}:`.padEnd(11)}${text}`);
	const next = status.state === 'running' ? [`  next: watch it with \`addon-wizard attach -c ${status.config}\`.`] : [];
	return `${[headline(status), ...lines, ...next].join('\n')}\n`;
}
