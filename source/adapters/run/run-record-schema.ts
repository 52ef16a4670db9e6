// The run record as it is read back (by `attach`, the wizard's entry, `status`, the lock): every
// field the wizard uses is checked, the embedded plan by the fields a re-attached run reads (its
// steps, packages, findings, checklist); the rest of the plan is carried as written. A record that
// does not pass is refused with its cause, never half-used.
import {readFileSync} from 'node:fs';
import {z} from 'zod';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {isRefusal, parseStored} from '../shared/stored-json.js';

/** Bump when the record changes in a way an older wizard cannot read; a higher one is refused. */
export const runRecordVersion = 1;

const stepSchema = z.looseObject({
	id: z.string(),
	kind: z.enum(['cluster-create', 'import-addon']),
	title: z.string(),
	packagePath: z.string(),
	argv: z.array(z.string()).min(1),
	cwd: z.string(),
	expectedBytes: z.number(),
	expectedCharts: z.number(),
	expectedImages: z.number(),
});

const planSchema = z.looseObject({
	operation: z.enum(['single-arch-import', 'single-arch-upgrade', 'multi-arch-integration', 'multi-arch-upgrade']),
	reason: z.string(),
	packages: z.array(z.looseObject({path: z.string(), fileName: z.string(), size: z.number(), findings: z.array(z.unknown())})),
	cluster: z.looseObject({path: z.string(), addonPackagePaths: z.array(z.string())}),
	installer: z.looseObject({path: z.string(), found: z.boolean()}),
	steps: z.array(stepSchema).min(1),
	disk: z.array(z.unknown()),
	diffs: z.looseObject({}),
	findings: z.array(z.looseObject({code: z.string(), severity: z.enum(['info', 'warning', 'error']), message: z.string()})),
	blocked: z.boolean(),
	preflight: z.array(z.looseObject({id: z.string(), status: z.enum(['pass', 'warn', 'block']), message: z.string()})),
});

export const runRecordSchema = z.looseObject({
	schemaVersion: z.number().int().optional(),
	wizardPid: z.number().int(),
	installerPid: z.number().int().optional(),
	installerIdentity: z.string().optional(),
	capture: z.object({stdout: z.string(), stderr: z.string()}).optional(),
	configPath: z.string(),
	logPath: z.string(),
	startedAt: z.number(),
	stepIndex: z.number().int().nonnegative(),
	stepId: z.string(),
	packagePath: z.string(),
	status: z.enum(['running', 'ok', 'failed', 'interrupted']),
	detachedAt: z.number().optional(),
	endedAt: z.number().optional(),
	failure: z.looseObject({kind: z.string(), message: z.string(), hint: z.string()}).optional(),
	failedStepIndex: z.number().int().optional(),
	snapshots: z.array(z.object({stepIndex: z.number().int().nonnegative(), path: z.string()})).optional(),
	plan: planSchema,
});

/** What reading a run record gave: the record, nothing there, or why it cannot be used. */
export type RecordRead = {record: RunRecord} | {missing: true} | {refused: WizardError};

/** The one line `attach`, the wizard's entry and `status` say about a record they cannot use. */
export function unreadableRecord(file: string, cause: string, newer = false): WizardError {
	return {
		kind: 'run-record-unreadable',
		message: `The run record ${file} cannot be read (${cause}); it is not used.`,
		hint: newer
			? `Use the addon-wizard that wrote it (or a newer one), or move ${file} aside once no run uses it.`
			: `If an installer still runs, find it with \`ps -ef | grep dce5-installer\` and wait for it; then move ${file} aside, and the next run writes a new one.`,
		exitCode: exitCodes.failure,
	};
}

export function readRunRecord(file: string): RecordRead {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT' || code === 'ENOTDIR' ? {missing: true} : {refused: unreadableRecord(file, code ?? String(error))};
	}

	const read = parseStored(text, runRecordSchema, runRecordVersion);
	if (isRefusal(read)) {
		return {refused: unreadableRecord(file, read.cause, read.newer)};
	}

	// The checked fields are the RunRecord's; the plan's others are carried as the wizard wrote them.
	return {record: read.value as unknown as RunRecord};
}
