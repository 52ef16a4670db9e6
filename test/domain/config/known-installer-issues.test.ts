import {describe, expect, it} from 'vitest';
import {knownIssueFindings} from '../../../source/domain/config/known-installer-issues.js';

describe('knownIssueFindings', () => {
	it('warns about an external chart repository of type jfrog (installer v0.8.0), with a next step', () => {
		const findings = knownIssueFindings({imagesAndCharts: {type: 'external', externalChartRepoType: 'JFrog'}});
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({code: 'installer-known-issue', severity: 'warning'});
		expect(findings[0]!.message).toContain('dce5-installer v0.8.0 cannot upload addon packages to an external JFrog chart repository');
		expect(findings[0]!.hint).toContain('chartmuseum or harbor');
	});

	it('says nothing for chartmuseum, harbor, or a jfrog type the builtin setup ignores', () => {
		expect(knownIssueFindings({imagesAndCharts: {type: 'external', externalChartRepoType: 'harbor'}})).toEqual([]);
		expect(knownIssueFindings({imagesAndCharts: {type: 'external'}})).toEqual([]);
		expect(knownIssueFindings({imagesAndCharts: {type: 'builtin', externalChartRepoType: 'jfrog'}})).toEqual([]);
		expect(knownIssueFindings({})).toEqual([]);
	});
});
