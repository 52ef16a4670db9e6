// Which later step of the plan put back the arches a step's tags lost: a step whose tags lost arm64
// and a later verified arm64 integration are one story, restored rather than failed. The Result's
// marks and the undo's target both ask it (undo of a repaired step would mean nothing).
import type {Plan} from '../../domain/plan/plan.js';
import type {RunState} from './state.js';

/** The later verified import -addon of every arch the step's tags lost, or undefined when there is none. */
export function coveredBy(plan: Plan, run: RunState, index: number): {step: number; arches: string[]} | undefined {
	const verification = run.verifications[index];
	if (verification?.state !== 'failed' && verification?.state !== 'verified' && verification?.state !== 'deferred') {
		return undefined;
	}

	const {result} = verification;
	const onlyArches = result.missing.count + result.different.count + result.unreadable.count === 0;
	const arches = [
		...new Set([...result.lostArch.first.flatMap(item => item.lost), ...result.lackingClusterArch.first.flatMap(item => item.missing)]),
	];
	if (!onlyArches || arches.length === 0) {
		return undefined;
	}

	const later = arches.map(arch =>
		plan.steps.findIndex(
			(step, at) => at > index && step.kind === 'import-addon' && step.arch === arch && run.verifications[at]?.state === 'verified',
		),
	);
	return later.every(at => at >= 0) ? {step: Math.max(...later), arches} : undefined;
}
