// The public `Status` document (`addon-wizard status --json`): the active or last run for a
// config, for scripts and Ansible's `async` polling. Its own shape, mapped from the internal run
// record (status-document.ts, which `status` loads without zod), so a change to the record cannot
// silently change what a script reads.
import {z} from 'zod';
import {documentSchema} from './envelope.js';
import {statusOutcomes} from './status-outcomes.js';

export {statusOutcomes, type StatusOutcome} from './status-outcomes.js';

const isoTime = z.iso.datetime();

export const statusSchema = documentSchema('Status', {
	/** The clusterConfig.yaml the run is for; null when no -c was given and no run is recorded. */
	config: z.string().nullable(),
	/** `running` while the wizard or its installer lives; `ended` once the run has ended; `none`: no run recorded. */
	state: z.enum(['running', 'ended', 'none']),
	/** `<start time, UTC>-<wizard pid>`: one id per run. */
	runId: z.string().optional(),
	/** The step running now, or the last one the run reached; index from 1. */
	step: z
		.object({index: z.number().int().min(1), count: z.number().int().min(1), title: z.string()})
		.strict()
		.optional(),
	outcome: z.enum(statusOutcomes).optional(),
	/** The exit code `run` ended (or ends) with for this outcome. */
	exitCode: z.number().int().optional(),
	/** What the registry read back after the last checked step said; absent when nothing was checked (--no-verify). */
	verified: z.boolean().optional(),
	logPath: z.string().optional(),
	startedAt: isoTime.optional(),
	endedAt: isoTime.optional(),
	/** The wizard's process, and the account it runs as. */
	pid: z.number().int().optional(),
	user: z.string().optional(),
	wizardAlive: z.boolean().optional(),
	installerPid: z.number().int().optional(),
	installerAlive: z.boolean().optional(),
	/** Why fields are missing: another account's run whose record this user cannot read. */
	note: z.string().optional(),
});
export type StatusDocument = z.infer<typeof statusSchema>;
