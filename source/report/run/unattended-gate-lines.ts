// What `run --yes` says when the unattended gate decides (workflow/plan/unattended-gate.ts): the
// hazards it refuses, each by the id `--accept` takes; that there is nothing to do; the hazards
// it goes ahead despite; and `--accept` ids that accept nothing. Plain lines, `addon-wizard: ` first.
import type {PendingChanges} from '../../domain/plan/pending-changes.js';
import type {PlanHazard} from '../../domain/plan/plan-hazards.js';
import {findingNames} from '../../domain/shared/finding-ids.js';

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const acceptFlags = (hazards: PlanHazard[]) => hazards.map(hazard => `--accept ${hazard.id}`).join(' ');

/** One hazard refused: its id and message, then the flag that accepts it or the change that removes it. */
export function refusalLines(refusedBy: PlanHazard[]): string {
	const lines = refusedBy.flatMap(hazard => [
		`addon-wizard: refused: hazard ${hazard.id}: ${hazard.message}`,
		// The finding's own hint is not always an alternative ("until then arm64 nodes cannot pull"),
		// so it follows as a sentence of its own.
		`  next: pass --accept ${hazard.id} to go ahead anyway.${hazard.hint ? ` ${hazard.hint}` : ''}`,
	]);
	return `${[...lines, 'addon-wizard: nothing was changed: no config edit, no clean-up, no installer.'].join('\n')}\n`;
}

/** The RunResult's next step for a refusal: every flag at once, then what removes the hazards instead. */
export function refusalNextStep(refusedBy: PlanHazard[]): string {
	const hints = refusedBy.flatMap(hazard => (hazard.hint ? [`${hazard.id}: ${lowerFirst(hazard.hint).replace(/\.$/, '')}`] : []));
	return `Pass ${acceptFlags(refusedBy)} to go ahead anyway.${hints.length > 0 ? ` About each: ${hints.join('; ')}.` : ''}`;
}

export const reimportHint = 'Nothing to do; pass --reimport to run the installer anyway (after a registry was restored, say).';

/** The one line `run --yes` says instead of starting the installer. */
export function nothingToDoLine(pending: PendingChanges): string {
	return `addon-wizard: ${pending.summary}; the installer was not started (--reimport runs it anyway).\n`;
}

export function reimportLine(pending: PendingChanges): string {
	return `addon-wizard: --reimport: running the installer although ${lowerFirst(pending.summary)}.\n`;
}

/** Said before the run starts, so the log of a script shows what it consented to. */
export function acceptedLines(hazards: PlanHazard[]): string {
	return hazards
		.filter(hazard => hazard.accepted)
		.map(hazard => `addon-wizard: going ahead despite hazard ${hazard.id} (--accept ${hazard.id}).\n`)
		.join('');
}

const hazardIds = [...new Set(Object.values(findingNames).flatMap(name => (name.hazard ? [name.id] : [])))];

/** `--accept` ids that name nothing in this plan: a typo is not consent, so it is said. */
export function unknownAcceptLines(ids: readonly string[]): string {
	return ids
		.map(id =>
			hazardIds.includes(id)
				? `addon-wizard: warning: --accept ${id}: this plan has no such hazard, so it accepts nothing.\n`
				: `addon-wizard: warning: --accept ${id}: no finding has this id, so it accepts nothing (hazard ids: ${hazardIds.join(', ')}).\n`,
		)
		.join('');
}
