// The Packages screen: what discovery found, how far each package has been read, what is chosen.
import {classifyPackages} from '../../domain/packages/classify-packages.js';
import type {DiscoveredPackage, PackageInspection} from '../../domain/packages/inspection.js';
import {selectRelease} from '../../domain/packages/release-sets.js';
import {stillCopyingFinding} from '../../domain/packages/still-copying.js';
import {dropUnofferable, openReview, settlePlanWait} from './plan-slice.js';
import {unavailableReason} from './selectors.js';
import type {InspectionStatus, WizardEvent, WizardState} from './state.js';

function withInspection(state: WizardState, path: string, status: InspectionStatus): WizardState {
	const previous = state.inspections[path];
	// A late progress report must not overwrite a finished result.
	if (status.state === 'progress' && (previous?.state === 'done' || previous?.state === 'failed')) {
		return state;
	}

	const next = {...state, inspections: {...state.inspections, [path]: status}};
	return settlePlanWait(dropUnofferable(next));
}

/**
 * A package still being copied is listed as such, with the size so far; once a look finds the copy
 * over, it is classified again as the whole file it now is (and the inspection that said so stands).
 */
function withCopyState(item: DiscoveredPackage, inspection: PackageInspection): DiscoveredPackage {
	if (inspection.copying) {
		const {copying} = inspection;
		return {...item, status: 'incomplete', size: copying.size, copying, findings: [stillCopyingFinding(copying, 'screen')]};
	}

	if (!item.copying) {
		return item;
	}

	const {copying: _copying, ...rest} = item;
	const [again] = classifyPackages([{path: item.path, fileName: item.fileName, size: inspection.size, mtimeMs: inspection.mtimeMs}]);
	return {...rest, status: 'candidate', size: inspection.size, findings: again?.findings ?? []};
}

function inspected(state: WizardState, inspection: PackageInspection): WizardState {
	const packages = state.packages.map(item => (item.path === inspection.path ? withCopyState(item, inspection) : item));
	return withInspection({...state, packages}, inspection.path, {state: 'done', inspection});
}

/** Another look at a copy under way: it goes back in the queue of packages to read. */
function recheckCopy(state: WizardState, path: string): WizardState {
	const status = state.inspections[path];
	return status?.state === 'done' && status.inspection.copying
		? {...state, inspections: {...state.inspections, [path]: {state: 'pending'}}}
		: state;
}

function fileNameOf(path: string): string {
	return path.split('/').pop() ?? path;
}

/** --package paths the search did not find are still listed, so they can be inspected. */
function withPreselected(found: DiscoveredPackage[], preselected: string[]): DiscoveredPackage[] {
	const missing = preselected.filter(path => !found.some(item => item.path === path));
	const extra = missing.map((path): DiscoveredPackage => ({
		path,
		fileName: fileNameOf(path),
		size: Number.NaN,
		mtimeMs: 0,
		status: 'candidate',
		findings: [],
	}));
	return [...found, ...extra];
}

function discovered(state: WizardState, found: DiscoveredPackage[]): WizardState {
	// A copy under way is looked at again like a package to read: the look says when it is whole.
	const packages = withPreselected(found, state.selected).map(item =>
		item.copying ? {...item, findings: [stillCopyingFinding(item.copying, 'screen')]} : item,
	);
	const inspections = Object.fromEntries(
		packages.filter(item => item.status === 'candidate' || item.copying).map(item => [item.path, {state: 'pending'} as InspectionStatus]),
	);
	const first = packages.findIndex(item => state.selected.includes(item.path));
	const next: WizardState = {...state, discovery: {state: 'done'}, packages, inspections, cursor: Math.max(0, first)};
	// --package already chose: the picker is skipped (b on Review brings it back).
	return next.selected.length > 0 ? choosePackages(next) : next;
}

function moveCursor(state: WizardState, delta: number): WizardState {
	const last = state.packages.length - 1;
	return {...state, notice: undefined, cursor: Math.max(0, Math.min(last, state.cursor + delta))};
}

function toggleSelected(state: WizardState): WizardState {
	const item = state.packages[state.cursor];
	if (!item) {
		return state;
	}

	if (state.selected.includes(item.path)) {
		return {...state, notice: undefined, selected: state.selected.filter(path => path !== item.path)};
	}

	const reason = unavailableReason(state, item);
	return reason
		? {...state, notice: `${item.fileName} cannot be imported: ${reason}`}
		: {...state, notice: undefined, selected: [...state.selected, item.path]};
}

/** A release is a set: all kinds found for the cursor's release and arch, the ones that can be offered. */
function toggleRelease(state: WizardState): WizardState {
	const item = state.packages[state.cursor];
	if (!item?.name) {
		return {...state, notice: "This file's name does not say its release: choose it on its own with space."};
	}

	const set = selectRelease(state.packages, item.name.version, item.name.arch).filter(
		member => unavailableReason(state, member) === undefined,
	);
	if (set.length === 0) {
		return {...state, notice: `No package of ${item.name.version} ${item.name.arch} can be imported.`};
	}

	const paths = set.map(member => member.path);
	const allChosen = paths.every(path => state.selected.includes(path));
	const selected = allChosen
		? state.selected.filter(path => !paths.includes(path))
		: [...state.selected, ...paths.filter(path => !state.selected.includes(path))];
	const kinds = set.map(member => member.name!.kind).join(', ');
	return {...state, selected, notice: `${allChosen ? 'Let go of' : 'Chose'} ${item.name.version} ${item.name.arch}: ${kinds}.`};
}

function choosePackages(state: WizardState): WizardState {
	let next = state;
	if (next.selected.length === 0) {
		next = toggleSelected(next);
		if (next.selected.length === 0) {
			return next.notice ? next : {...next, notice: 'Choose at least one package (space), then press enter.'};
		}
	}

	return openReview(next);
}

export type PackagesEvent = Extract<
	WizardEvent,
	{
		type:
			| 'discovered'
			| 'discovery-failed'
			| 'inspection-started'
			| 'inspection-progress'
			| 'inspection-done'
			| 'inspection-failed'
			| 'copy-recheck'
			| 'cursor-move'
			| 'toggle-selected'
			| 'toggle-release'
			| 'choose-packages';
	}
>;

export function packagesReducer(state: WizardState, event: PackagesEvent): WizardState {
	switch (event.type) {
		case 'discovered': {
			return state.discovery.state === 'loading' ? discovered(state, event.packages) : state;
		}

		case 'discovery-failed': {
			return {...state, discovery: {state: 'error', message: event.message}};
		}

		case 'inspection-started': {
			return state.inspections[event.path]?.state === 'pending'
				? withInspection(state, event.path, {state: 'progress', bytesRead: 0, totalBytes: 0})
				: state;
		}

		case 'inspection-progress': {
			return withInspection(state, event.path, {state: 'progress', bytesRead: event.bytesRead, totalBytes: event.totalBytes});
		}

		case 'inspection-done': {
			return inspected(state, event.inspection);
		}

		case 'copy-recheck': {
			return recheckCopy(state, event.path);
		}

		case 'inspection-failed': {
			return withInspection(state, event.path, {state: 'failed', message: event.message});
		}

		case 'cursor-move': {
			return state.screen === 'packages' ? moveCursor(state, event.delta) : state;
		}

		case 'toggle-selected': {
			return state.screen === 'packages' ? toggleSelected(state) : state;
		}

		case 'toggle-release': {
			return state.screen === 'packages' ? toggleRelease(state) : state;
		}

		case 'choose-packages': {
			return state.screen === 'packages' && state.discovery.state === 'done' ? choosePackages(state) : state;
		}
	}
}
