// A plan shown or kept anywhere that is not the operator's own file (`plan --json`, `run --yes
// --json`, the run record `attach` reads) carries no password: every string masked, the config's
// text before and after the edit masked by key as well (a commented-out password is still one).
// The digest of the text the edit writes survives, so a run re-opened from its record can still
// tell whether that edit is already in the file.
import {createHash} from 'node:crypto';
import {maskSecretLines, maskSecretsDeep} from '../shared/mask-secrets.js';
import type {ConfigEdit} from '../config/config-facts.js';
import type {Plan} from './plan.js';

type Mask = (line: string) => string;

/** sha256 of a config text, to compare a file with an edit whose text was masked away. */
export function textDigest(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

function maskEdit(edit: ConfigEdit, mask: Mask): ConfigEdit {
	const originalText = maskSecretLines(edit.originalText, mask);
	const newText = maskSecretLines(edit.newText, mask);
	const changed = originalText !== edit.originalText || newText !== edit.newText;
	return {
		...edit,
		originalText,
		newText,
		newTextSha256: edit.newTextSha256 ?? textDigest(edit.newText),
		...(changed ? {masked: true} : {}),
	};
}

export function maskPlan(plan: Plan, mask: Mask): Plan {
	const steps = plan.steps.map(step => (step.configEdit ? {...step, configEdit: maskEdit(step.configEdit, mask)} : step));
	return maskSecretsDeep({...plan, steps}, mask);
}
