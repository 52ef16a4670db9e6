// The plan option `removeLeftover` (chosen with `c` on Review, or `--cleanup`): the leftover
// addon-offline-target-package is removed just before the run's first step, through the same
// safety-checked clean-up the retry uses, and the run's event stream says so. A leftover already
// gone (removed by `run --cleanup` or by hand) is not an error.
import type {Plan, RunEvent} from '../domain/model.js';
import {isWizardError} from '../domain/wizard-error.js';
import type {RunStream, WizardPorts} from './ports.js';

export type LeftoverRemovalDeps = Pick<WizardPorts, 'measureLeftover' | 'cleanupLeftover'> & {now(): number};

export function removeLeftoverFirst(plan: Plan, fromStep: number, start: () => RunStream, deps: LeftoverRemovalDeps): RunStream {
	return (async function * (): AsyncGenerator<RunEvent> {
		const step = plan.steps[fromStep];
		if (plan.removeLeftover && step && await deps.measureLeftover(step)) {
			const cleaned = await deps.cleanupLeftover(step);
			if (isWizardError(cleaned)) {
				// Nothing was started and nothing changed: the run ends here, saying why.
				yield {type: 'run-error', at: deps.now(), error: cleaned};
				yield {type: 'run-end', at: deps.now(), ok: false, outcome: {ok: false, error: cleaned}};
				return;
			}

			yield {type: 'cleanup', at: deps.now(), path: cleaned.path, freedBytes: cleaned.freedBytes};
		}

		yield * start();
	})();
}
