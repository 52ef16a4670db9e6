// The run record as it is read back (by `attach`, the wizard's entry, `status`, the lock): every
// field the wizard uses is checked, the embedded plan by the fields a re-attached run reads (its
// steps, packages, findings, checklist); the rest of the plan is carried as written. A record that
// does not pass is refused with its cause, never half-used.
import {readFileSync} from 'node:fs';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {byShape, isRefusal, parseStored} from '../shared/stored-json.js';
import {array, boolean, int, number, object, oneOf, optional, string, unknown} from '../shared/stored-shape.js';

/** Bump when the record changes in a way an older wizard cannot read; a higher one is refused. */
export const runRecordVersion = 1;

const stepShape = object({
	id: string,
	kind: oneOf(['cluster-create', 'import-addon']),
	title: string,
	packagePath: string,
	argv: array(string, {min: 1}),
	cwd: string,
	expectedBytes: number,
	expectedCharts: number,
	expectedImages: number,
});

const planShape = object({
	operation: oneOf(['single-arch-import', 'single-arch-upgrade', 'multi-arch-integration', 'multi-arch-upgrade']),
	reason: string,
	packages: array(object({path: string, fileName: string, size: number, findings: array(unknown)})),
	cluster: object({path: string, addonPackagePaths: array(string)}),
	installer: object({path: string, found: boolean}),
	steps: array(stepShape, {min: 1}),
	disk: array(unknown),
	diffs: object({}),
	findings: array(object({code: string, severity: oneOf(['info', 'warning', 'error']), message: string})),
	blocked: boolean,
	preflight: array(object({id: string, status: oneOf(['pass', 'warn', 'block']), message: string})),
});

export const runRecordShape = object({
	schemaVersion: optional(int()),
	wizardPid: int(),
	installerPid: optional(int()),
	installerIdentity: optional(string),
	capture: optional(object({stdout: string, stderr: string}, {strip: true})),
	configPath: string,
	logPath: string,
	startedAt: number,
	stepIndex: int({min: 0}),
	stepId: string,
	packagePath: string,
	status: oneOf(['running', 'ok', 'failed', 'interrupted']),
	detachedAt: optional(number),
	endedAt: optional(number),
	failure: optional(object({kind: string, message: string, hint: string})),
	failedStepIndex: optional(int()),
	snapshots: optional(array(object({stepIndex: int({min: 0}), path: string}, {strip: true}))),
	plan: planShape,
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

	const read = parseStored(text, byShape<RunRecord>(runRecordShape), runRecordVersion);
	if (isRefusal(read)) {
		return {refused: unreadableRecord(file, read.cause, read.newer)};
	}

	// The checked fields are the RunRecord's; the plan's others are carried as the wizard wrote them.
	return {record: read.value};
}
