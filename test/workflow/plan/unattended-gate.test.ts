// The unattended gate: what `run --yes` does with a plan before anything changes.
import {describe, expect, it} from 'vitest';
import type {Plan} from '../../../source/domain/plan/plan.js';
import type {RegistryReview, ReviewedTag} from '../../../source/domain/plan/registry-review.js';
import type {Finding} from '../../../source/domain/shared/findings.js';
import {decideUnattendedRun} from '../../../source/workflow/plan/unattended-gate.js';

const tag = (change: ReviewedTag['change']): ReviewedTag => ({
	key: 'release.daocloud.io/kpanda/a:v1',
	now: 'image',
	nowArches: ['amd64'],
	afterArches: ['amd64'],
	change,
	lostDuringPlan: [],
	lostAtEnd: [],
	lacking: [],
});

/** A review read in full: the gate only asks pendingChanges of it, which reads tags and charts. */
const review = (change: ReviewedTag['change'] | 'unread'): RegistryReview =>
	({
		checked: change !== 'unread',
		...(change === 'unread' ? {problem: {kind: 'registry-unreachable', message: 'connection refused', hint: 'Start it.'}} : {}),
		tags: change === 'unread' ? [] : [tag(change)],
		charts: {checked: true, url: 'http://127.0.0.1:8081', changes: [{name: 'kpanda', from: '0.20.1', to: '0.20.1', change: 'unchanged'}]},
	}) as RegistryReview;

const belowTwelve: Finding = {
	code: 'arch-conflict-below-0.12',
	severity: 'warning',
	message: 'Upgrading to v0.11.2 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images.',
	hint: 'Choose the v0.11.2 arm64 package too.',
};
const archLost: Finding = {code: 'arch-lost-in-plan', severity: 'warning', message: '3 tags in the registry lose arm64 in the plan.'};
const downgrade: Finding = {code: 'downgrade', severity: 'warning', message: 'Downgrade.'};

type GatePlan = Pick<Plan, 'blocked' | 'findings' | 'steps' | 'registry'>;
const plan = (findings: Finding[], change: ReviewedTag['change'] | 'unread' = 'overwritten', blocked = false): GatePlan => ({
	blocked,
	findings,
	steps: [],
	registry: review(change),
});

describe('decideUnattendedRun', () => {
	it('goes ahead with a plan that changes something and loses nothing', () => {
		const verdict = decideUnattendedRun(plan([downgrade], 'added'), {accept: [], reimport: false});
		expect(verdict).toMatchObject({decision: 'go', hazards: [], refusedBy: [], unknownAccepts: []});
		expect(verdict.pending.changed).toBe(true);
	});

	it('refuses each hazard not accepted, by its public id, and goes ahead once --accept names every one', () => {
		const refused = decideUnattendedRun(plan([belowTwelve, archLost, downgrade]), {accept: ['arch-lost'], reimport: false});
		expect(refused.decision).toBe('refused');
		expect(refused.refusedBy.map(hazard => hazard.id)).toEqual(['below-0.12-single-arch']);
		expect(refused.refusedBy[0]).toMatchObject({message: belowTwelve.message, hint: belowTwelve.hint, accepted: false});
		expect(refused.hazards.map(hazard => [hazard.id, hazard.accepted])).toEqual([
			['below-0.12-single-arch', false],
			['arch-lost', true],
		]);

		const accepted = decideUnattendedRun(plan([belowTwelve, archLost]), {accept: ['arch-lost', 'below-0.12-single-arch'], reimport: false});
		expect(accepted).toMatchObject({decision: 'go', refusedBy: []});
	});

	it('does not start the installer when nothing would change, whatever the hazards, unless --reimport asks', () => {
		const nothing = decideUnattendedRun(plan([], 'unchanged'), {accept: [], reimport: false});
		expect(nothing.decision).toBe('nothing-to-do');
		expect(nothing.pending).toEqual({
			changed: false,
			summary: 'nothing to change: the registry holds all 1 tag and the chart repository all 1 chart as the plan would leave them',
		});
		expect(decideUnattendedRun(plan([], 'unchanged'), {accept: [], reimport: true})).toMatchObject({decision: 'go', reimport: true});
		// --reimport runs the installer, so its hazards are judged as for any run.
		expect(decideUnattendedRun(plan([archLost], 'unchanged'), {accept: [], reimport: true}).decision).toBe('refused');
	});

	it('counts a registry it could not read as changes pending, so the run goes ahead as before', () => {
		const verdict = decideUnattendedRun(plan([], 'unread'), {accept: [], reimport: false});
		expect(verdict.decision).toBe('go');
		expect(verdict.pending.summary).toBe('changes assumed pending: the registry was not read (connection refused)');
		expect(verdict.reimport).toBeUndefined();
	});

	it('says blocked before anything else', () => {
		expect(decideUnattendedRun(plan([belowTwelve], 'unchanged', true), {accept: [], reimport: false}).decision).toBe('blocked');
	});

	it('names --accept ids that match no finding of the plan: a typo is not consent', () => {
		const verdict = decideUnattendedRun(plan([belowTwelve]), {accept: ['below-012-single-arch', 'arch-lost'], reimport: false});
		expect(verdict.unknownAccepts).toEqual(['below-012-single-arch', 'arch-lost']);
		expect(verdict.decision).toBe('refused');
	});

	it('does not count a hazard-kind finding said as information (nothing lost) as a hazard', () => {
		const replaced: Finding = {code: 'config-entry-dropped', severity: 'info', message: 'arm64 is integrated by this plan instead.'};
		const dropped: Finding = {code: 'config-entry-dropped', severity: 'warning', message: 'no gpu package is chosen.'};
		expect(decideUnattendedRun(plan([replaced]), {accept: [], reimport: false}).decision).toBe('go');
		expect(decideUnattendedRun(plan([replaced, dropped]), {accept: [], reimport: false}).refusedBy).toMatchObject([
			{id: 'config-entry-dropped', message: 'no gpu package is chosen.'},
		]);
	});
});
