// Whether a run without anyone at Confirm (`run --yes`) may start the installer: a blocked plan
// never, a hazard only once `--accept ID` names it, and a plan the registry and chart repository
// already hold in full not at all (unless `--reimport` asks for it). Decided here, once, before
// anything changes, so the command only carries the verdict out.
import {pendingChanges, type PendingChanges} from '../../domain/plan/pending-changes.js';
import {planHazards, unknownAccepts, type PlanHazard} from '../../domain/plan/plan-hazards.js';
import type {Plan} from '../../domain/plan/plan.js';

export type GateRequest = {
	/** `--accept ID`, as given. */
	accept: readonly string[];
	/** `--reimport`: run the installer even when nothing would change. */
	reimport: boolean;
};

export type GateVerdict = {
	/**
	 * `blocked`: the plan's pre-flight blocks; `refused`: a hazard was not accepted;
	 * `nothing-to-do`: the registry holds all of it; `go`: start the run.
	 */
	decision: 'blocked' | 'refused' | 'nothing-to-do' | 'go';
	pending: PendingChanges;
	/** Every hazard of the plan, accepted or not. */
	hazards: PlanHazard[];
	/** The hazards that stop the run (empty unless `refused`). */
	refusedBy: PlanHazard[];
	/** `--accept` ids that name no finding of this plan: a typo is not consent. */
	unknownAccepts: string[];
	/** Set for `go` despite nothing pending: `--reimport` asked for it. */
	reimport?: true;
};

export function decideUnattendedRun(plan: Pick<Plan, 'blocked' | 'findings' | 'steps' | 'registry'>, request: GateRequest): GateVerdict {
	const pending = pendingChanges(plan);
	const hazards = planHazards(plan, request.accept);
	const base = {pending, hazards, refusedBy: [], unknownAccepts: unknownAccepts(plan, request.accept)};
	if (plan.blocked) {
		return {...base, decision: 'blocked'};
	}

	// Nothing would change, so nothing can be lost: a hazard matters only when the installer runs.
	if (!pending.changed && !request.reimport) {
		return {...base, decision: 'nothing-to-do'};
	}

	const refusedBy = hazards.filter(hazard => !hazard.accepted);
	if (refusedBy.length > 0) {
		return {...base, decision: 'refused', refusedBy};
	}

	return {...base, decision: 'go', ...(pending.changed ? {} : {reimport: true as const})};
}
