// Failures the installer's own record (its release notes, the reference §10.1) lists for a setting
// of clusterConfig.yaml: said before the run, as a warning with the way around it, because the
// installer itself fails on them late and without naming the setting. One row per known issue:
// a different reality (a later release note that fixes it, another field) is one edit here.
import type {Finding} from '../shared/findings.js';
import type {ClusterConfigInfo, ImagesAndCharts} from './config-facts.js';

export type KnownInstallerIssue = {
	/** The setting as the operator finds it in clusterConfig.yaml. */
	field: string;
	/** Whether this config has the setting the issue is about. */
	applies(section: ImagesAndCharts): boolean;
	/** The installer releases whose notes list it (no later note says it was fixed). */
	installers: string[];
	/** What fails, in the release notes' words. */
	fails: string;
	hint: string;
};

const lower = (value: string | undefined) => value?.trim().toLowerCase();

export const knownInstallerIssues: readonly KnownInstallerIssue[] = [
	{
		// Release notes v0.8.0, known issues: addon packages cannot be uploaded to an external JFrog.
		field: 'imagesAndCharts.externalChartRepoType: jfrog',
		applies: section => lower(section.type) === 'external' && lower(section.externalChartRepoType) === 'jfrog',
		installers: ['v0.8.0'],
		fails: 'cannot upload addon packages to an external JFrog chart repository',
		hint: 'Use a ChartMuseum or Harbor chart repository (externalChartRepoType: chartmuseum or harbor), or check that your installer release fixed it; after the run, addon-wizard verify reads back what arrived.',
	},
];

/** A warning for each known installer failure this clusterConfig.yaml's settings lead to. */
export function knownIssueFindings(cluster: Pick<ClusterConfigInfo, 'imagesAndCharts'>): Finding[] {
	const section = cluster.imagesAndCharts;
	if (!section) {
		return [];
	}

	return knownInstallerIssues
		.filter(issue => issue.applies(section))
		.map(issue => ({
			code: 'installer-known-issue',
			severity: 'warning',
			message: `clusterConfig.yaml sets ${issue.field}: dce5-installer ${issue.installers.join(', ')} ${issue.fails} (a known issue in its release notes).`,
			hint: issue.hint,
			details: {field: issue.field, installers: issue.installers},
		}));
}
