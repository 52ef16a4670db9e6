// What `undo` does with each tag a step may have changed, decided from three digests: what the tag
// holds now, what the step left (read after it), and what was saved before it. Pure: the
// workflow reads the registry and hands the answers here, then does what the plan says.
import {exitCodes, type WizardError} from '../shared/wizard-error.js';
import {plural} from '../shared/plural.js';
import type {SavedTag} from './tag-snapshot.js';
import {tagKey} from './tag-state.js';

/**
 * A tag as the registry answered it now. `arches`: what the manifest there carries, when the
 * preview read it (a GET, not a HEAD) and could tell; absent when not read or not known.
 */
export type TagNow = {kind: 'absent'} | {kind: 'present'; digest: string; arches?: string[]} | {kind: 'unreadable'; message: string};

export type UndoAction =
	/** PUT the saved bytes back. */
	| 'restore'
	/** The step changed it, and it already holds the saved manifest again. */
	| 'already-restored'
	/** The step left it as it was. */
	| 'unchanged'
	/** Neither the step's result nor the saved one: someone pushed since; left alone unless --force. */
	| 'changed-by-someone-else'
	/** The step created it; listed, deleted only with --remove-added. */
	| 'added-by-step'
	| 'remove-added'
	/** Garbage collection took what the saved manifest points to: it cannot be put back. */
	| 'content-gone'
	| 'unreadable';

export type UndoTag = {
	key: string;
	repository: string;
	tag: string;
	action: UndoAction;
	now: TagNow;
	/** The saved digest, or absent: the step added the tag. */
	before: string | 'absent';
	beforeArches: string[];
	/** References of the saved manifest the registry no longer has (content-gone only). */
	missing?: string[];
	/** The step's result was not read (the wizard was stopped first): now is taken for the step's. */
	afterUnknown?: boolean;
};

export type UndoOptions = {force: boolean; removeAdded: boolean};

/** Which tags need their saved references checked before the plan can be made. */
export function needsContentCheck(saved: SavedTag, now: TagNow, options: UndoOptions): boolean {
	return decide(saved, now, options) === 'restore';
}

function digestOfNow(now: TagNow): string | undefined {
	return now.kind === 'present' ? now.digest : now.kind === 'absent' ? 'absent' : undefined;
}

function decide(saved: SavedTag, now: TagNow, options: UndoOptions): UndoAction {
	const current = digestOfNow(now);
	if (current === undefined) {
		return 'unreadable';
	}

	const before = saved.before === 'absent' ? 'absent' : saved.before.digest;
	if (current === before) {
		return saved.after !== undefined && saved.after !== before ? 'already-restored' : 'unchanged';
	}

	const byStep = saved.after === undefined || saved.after === current;
	if (!byStep && !options.force) {
		return 'changed-by-someone-else';
	}

	if (before === 'absent') {
		return options.removeAdded ? 'remove-added' : 'added-by-step';
	}

	return 'restore';
}

/** One tag's plan; `missing` is what the content check found gone (restore candidates only). */
export function planTag(saved: SavedTag, now: TagNow, options: UndoOptions, missing: string[] = []): UndoTag {
	const decided = decide(saved, now, options);
	const action = decided === 'restore' && missing.length > 0 ? 'content-gone' : decided;
	return {
		key: tagKey(saved),
		repository: saved.repository,
		tag: saved.tag,
		action,
		now,
		before: saved.before === 'absent' ? 'absent' : saved.before.digest,
		beforeArches: saved.before === 'absent' ? [] : saved.before.arches,
		...(action === 'content-gone' ? {missing} : {}),
		...(saved.after === undefined && action !== 'unchanged' ? {afterUnknown: true} : {}),
	};
}

const count = (tags: UndoTag[], action: UndoAction) => tags.filter(tag => tag.action === action).length;

/**
 * Why the undo must change nothing: a tag whose content is gone (half a restore would leave the
 * cluster's arches mixed), or a tag that cannot be read (its state is not known).
 */
export function undoRefusal(tags: UndoTag[]): WizardError | undefined {
	const gone = tags.filter(tag => tag.action === 'content-gone');
	if (gone.length > 0) {
		const first = gone[0]!;
		const arches = [...new Set(gone.flatMap(tag => tag.beforeArches))].sort().join(', ');
		return {
			kind: 'undo-content-gone',
			message: `${plural(gone.length, 'tag')} cannot be put back: the registry no longer stores what the saved manifest points to (${first.key} misses ${`${first.missing?.length ?? 0} of its manifests or blobs`}, e.g. ${first.missing?.[0] ?? '?'}); garbage collection removed it. Nothing was changed.`,
			hint: `Put the lost arch back the long way: integrate the other arch's package of the same version (import -addon: addon-wizard run -p PACKAGE, or i on the Result), or import again the package that pushed ${arches ? `the ${arches} lists` : 'them'}.`,
			exitCode: exitCodes.verificationFailed,
		};
	}

	const unreadable = tags.filter(tag => tag.action === 'unreadable');
	if (unreadable.length > 0) {
		const first = unreadable[0]!;
		return {
			kind: 'undo-tag-unreadable',
			message: `${plural(unreadable.length, 'tag')} could not be read now (${first.key}: ${first.now.kind === 'unreadable' ? first.now.message : '?'}), so what undo would change is not known. Nothing was changed.`,
			hint: 'Check the registry answers (addon-wizard verify), then run addon-wizard undo again.',
			exitCode: exitCodes.notVerified,
		};
	}

	return undefined;
}

/** Every action, in the order summaries and the JSON list them. */
export const undoActions: readonly UndoAction[] = [
	'restore',
	'already-restored',
	'unchanged',
	'changed-by-someone-else',
	'added-by-step',
	'remove-added',
	'content-gone',
	'unreadable',
];

/** Counts per action, for the summary line and the JSON. */
export function undoCounts(tags: UndoTag[]): Record<UndoAction, number> {
	return Object.fromEntries(undoActions.map(action => [action, count(tags, action)])) as Record<UndoAction, number>;
}
