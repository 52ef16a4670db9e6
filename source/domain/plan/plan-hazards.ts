// The hazards of a plan: findings that lose something when the run goes ahead. On a terminal the
// typed `yes` of Confirm accepts them; without one, `run --yes` goes ahead only when `--accept ID`
// names every one, so an unattended run can never take an arch away by default.
import {findingNames} from '../shared/finding-ids.js';
import type {FindingCode} from '../shared/findings.js';
import type {Plan} from './plan.js';

export type PlanHazard = {
	/** The public id `--accept` takes. */
	id: string;
	code: FindingCode;
	message: string;
	/** The finding's next step: what to change so the hazard goes away instead of accepting it. */
	hint?: string;
	accepted: boolean;
};

export function planHazards(plan: Pick<Plan, 'findings'>, accepted: readonly string[]): PlanHazard[] {
	const seen = new Set<string>();
	const hazards: PlanHazard[] = [];
	for (const finding of plan.findings) {
		const name = findingNames[finding.code];
		// One entry per id: `--accept` takes ids, so two findings of one kind are accepted together.
		// An `info` finding of a hazard's kind says nothing is lost (an entry the plan integrates again).
		if (!name.hazard || finding.severity === 'info' || seen.has(name.id)) {
			continue;
		}

		seen.add(name.id);
		hazards.push({
			id: name.id,
			code: finding.code,
			message: finding.message,
			...(finding.hint ? {hint: finding.hint} : {}),
			accepted: accepted.includes(name.id),
		});
	}

	return hazards;
}

/** `--accept` ids that name no hazard of this plan: said, so a typo is not mistaken for consent. */
export function unknownAccepts(plan: Pick<Plan, 'findings'>, accepted: readonly string[]): string[] {
	const ids = new Set(plan.findings.map(finding => findingNames[finding.code].id));
	return accepted.filter(id => !ids.has(id));
}
