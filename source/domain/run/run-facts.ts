// What a run record cannot say about itself, read from the host when `status` asks (the adapter
// run/run-facts.ts reads it; the Status document reports it).
import type {StepVerification} from './run-events.js';

export type RunFacts = {
	wizardAlive: boolean;
	/** The recorded installer pid is still that installer. */
	installerAlive: boolean;
	/** The wizard's account: its process's owner, or the run log's once it is gone. */
	user?: string;
	/** The state of the last `step-verified` event in the run's journal. */
	lastVerification?: StepVerification['state'];
};
