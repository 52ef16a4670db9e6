// What the new `spec.addonPackage.path` leaves out. The new value names one entry per file of
// the primary arch; an entry of the old list that nothing replaces (another arch, a kind not
// chosen, a name that says nothing) is named with why, never dropped silently.
import {currentEntries, packageArch, packageVersion, type CurrentEntry, type Decision} from './decide-operation.js';
import type {Finding} from '../shared/findings.js';
import {packageFileNameFor} from '../packages/package-kinds.js';

/** `lost: false`: the entry's files come back another way (an integration step), so nothing is lost. */
type Dropped = {reason: string; hint: string; lost?: false};

function whyDropped(entry: CurrentEntry, decision: Decision): Dropped | undefined {
	const target = decision.clusterCreate[0] ? packageVersion(decision.clusterCreate[0]) : undefined;
	if (!entry.arch || !entry.kind) {
		return {
			reason: 'its name does not say its kind and arch, so nothing chosen replaces it',
			hint: 'Check what the file is; give it its published name and choose it if the cluster should keep it.',
		};
	}

	if (entry.arch !== decision.primaryArch) {
		return decision.integrations.some(item => packageArch(item) === entry.arch)
			? {
					reason: `cluster-create imports the ${decision.primaryArch} files only; ${entry.arch} is integrated by this plan's import -addon steps instead`,
					hint: `Nothing to do: the ${entry.arch} images are merged into the registry after the upgrade.`,
					lost: false,
				}
			: {
					reason: `cluster-create imports the ${decision.primaryArch} files only and this plan has no ${entry.arch} step; the ${entry.arch} images already in the registry stay at ${entry.version}`,
					hint: `Choose the ${target} ${entry.arch} files too, so the plan integrates them after the upgrade.`,
				};
	}

	if (decision.clusterCreate.some(item => item.kind === entry.kind)) {
		return undefined;
	}

	return {
		reason: `no ${entry.kind} package is chosen; the ${entry.kind} charts already imported stay at ${entry.version}, but clusterConfig.yaml no longer names them`,
		hint: `Choose ${packageFileNameFor(entry.kind, target ?? entry.version ?? '<version>', entry.arch)} too to keep ${entry.kind} in addonPackage.path.`,
	};
}

/** One warning per configured entry the new value (`newPaths`) does not keep or replace. */
export function droppedEntryFindings(decision: Decision, newPaths: readonly string[]): Finding[] {
	return currentEntries(decision.current)
		.filter(entry => !newPaths.includes(entry.path))
		.flatMap(entry => {
			const why = whyDropped(entry, decision);
			return why
				? [
						{
							code: 'config-entry-dropped',
							// Said as information when nothing is lost: not a hazard an unattended run must accept.
							severity: why.lost === false ? 'info' : 'warning',
							message: `spec.addonPackage.path no longer names ${entry.path}: ${why.reason}.`,
							hint: why.hint,
							details: {path: entry.path},
						} satisfies Finding,
					]
				: [];
		});
}
