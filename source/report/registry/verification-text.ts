// What the registry showed after a step (or for `addon-wizard verify`), in words: one summary
// line, then what is missing and which tags lost which arch (the first few, with counts), the
// cause and the next step. The screens, the plain reporter and `verify` all say it this way.
import type {StepVerification} from '../../domain/run/run-events.js';
import type {VerifyResult} from '../../domain/registry/verify-step.js';

export type VerificationTone = 'ok' | 'warn' | 'error' | 'dim';

export type VerificationText = {tone: VerificationTone; summary: string; details: string[]; cause?: string; hint?: string};

type Listed<T> = {count: number; first: T[]};

function listLine<T>(list: Listed<T>, what: string, item: (value: T) => string): string[] {
	if (list.count === 0) {
		return [];
	}

	const more = list.count > list.first.length ? `, and ${list.count - list.first.length} more` : '';
	return [`${list.count} ${what}: ${list.first.map(value => item(value)).join(', ')}${more}`];
}

/** A tag that lost an arch also lacks it: said once, as lost. */
function lackingBeyondLost(result: VerifyResult): Listed<{key: string; missing: string[]}> {
	const lost = new Map(result.lostArch.first.map(item => [item.key, item.lost]));
	const first = result.lackingClusterArch.first.filter(item => !item.missing.every(arch => lost.get(item.key)?.includes(arch)));
	const count = result.lackingClusterArch.count - (result.lackingClusterArch.first.length - first.length);
	return {count: first.length === 0 && count <= result.lostArch.count ? 0 : count, first};
}

/** The chart versions the repository lacks, or why it could not be read. */
function chartDetails(result: VerifyResult): string[] {
	const {charts} = result;
	if (charts?.state === 'unreadable' && charts.expected > 0) {
		return [`${charts.expected} chart version(s) not checked: ${charts.error.message}`];
	}

	return charts?.state === 'read'
		? listLine(charts.missing, `of ${charts.expected} charts not in the chart repository ${charts.repository}`, value => value)
		: [];
}

/** Every list the result holds, one line each, so nothing the registry showed is left unsaid. */
export function resultDetails(result: VerifyResult): string[] {
	return [
		...listLine(result.missing, `of ${result.checkedImages} images not at their tag`, value => value),
		...listLine(result.lostArch, 'tag(s) lost an arch', value => `${value.key} (${value.lost.join(', ')})`),
		...listLine(result.different, "tag(s) hold another image than the package's", value => value),
		...listLine(lackingBeyondLost(result), 'tag(s) without every cluster arch', value => `${value.key} (no ${value.missing.join(', ')})`),
		...listLine(result.unreadable, 'tag(s) could not be read', value => `${value.key}: ${value.message}`),
		...chartDetails(result),
	];
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** Without the read before the step, a tag that lost an arch looks like one that never had it: said so. */
function beforeNote(verification: StepVerification): string[] {
	return 'beforeError' in verification && verification.beforeError
		? [
				`The registry could not be read before the step (${verification.beforeError.replace(/\.$/, '')}), so tags that lost an arch could not be told.`,
			]
		: [];
}

export function describeVerification(verification: StepVerification, laterStep?: string): VerificationText {
	const text = describeRead(verification, laterStep);
	return {...text, details: [...text.details, ...beforeNote(verification)]};
}

function describeRead(verification: StepVerification, laterStep?: string): VerificationText {
	switch (verification.state) {
		case 'skipped': {
			return {tone: 'dim', summary: `Not checked against the registry: ${verification.reason}.`, details: []};
		}

		case 'unreadable': {
			return {
				tone: 'warn',
				summary: `Finished, not verified: ${verification.error.message}`,
				details: [],
				hint: `${verification.error.hint.trim().replace(/[.!?]$/, '')}; then addon-wizard verify checks what the step left.`,
			};
		}

		case 'verified': {
			const {result} = verification;
			const pending = result.lackingClusterArch.count > 0;
			return {
				tone: pending ? 'warn' : 'ok',
				summary: `Verified against ${verification.registry}: ${lower(result.message)}`,
				details: pending ? resultDetails(result) : [],
				hint: result.hint || undefined,
			};
		}

		case 'deferred': {
			const {result} = verification;
			const lost = [...new Set(result.lostArch.first.flatMap(item => item.lost))].join(', ');
			return {
				tone: 'warn',
				summary: `${result.lostArch.count} tag(s) lost ${lost}, as ${result.cause ? 'a version below 0.12.0 does' : 'this push does'}; ${laterStep ?? 'a later step'} of this plan is to integrate ${lost} again.`,
				details: resultDetails(result),
			};
		}

		case 'failed': {
			const {result} = verification;
			return {
				tone: 'error',
				summary: `Not verified against ${verification.registry}: ${lower(result.message)}`,
				details: resultDetails(result),
				cause: result.cause && !result.message.includes(result.cause.message) ? result.cause.message : undefined,
				hint: result.hint || undefined,
			};
		}
	}
}
