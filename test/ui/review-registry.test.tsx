// The Registry section of Review and the keys that act on it, from plans built by the real
// buildPlan over a fake registry: the tags and where the cluster's arches come from, the fallback
// when the registry cannot be read, the read's progress and its cancellation, and `c`.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {Plan} from '../../source/domain/plan/plan.js';
import type {WizardError} from '../../source/domain/shared/wizard-error.js';
import {locateRegistry} from '../../source/domain/registry/location.js';
import type {RegistryFacts, RegistrySnapshot} from '../../source/domain/plan/registry-review.js';
import type {TagState} from '../../source/domain/registry/tag-state.js';
import {buildPlan, type PlanDeps} from '../../source/workflow/plan/build-plan.js';
import {full} from '../domain/packages/make-inspection.js';
import {createFakePorts, discoveredFrom, frameLines, keys, onReview, renderWizard, unwrap, waitUntil} from '../helpers/fake-ports.js';
import {settleKeys} from '../helpers/settle-keys.js';

afterEach(() => {
	cleanup();
});

const refs = Array.from({length: 5}, (_, index) => `release.daocloud.io/kpanda/app${index}:v1`);
const upgrade = full('v0.11.0', 'amd64', {
	images: [...refs, 'docker.m.daocloud.io/b:v1'].map((ref, index) => ({ref, configDigest: `sha256:${String(index).repeat(64)}`})),
	charts: ['kpanda@0.21.0'],
});
const both: TagState = {
	kind: 'list',
	images: [
		{arch: 'amd64', os: 'linux', configDigest: `sha256:${'1'.repeat(64)}`},
		{arch: 'arm64', os: 'linux', configDigest: `sha256:${'2'.repeat(64)}`},
	],
};
const located = locateRegistry({
	document: undefined,
	flags: {registry: 'https://harbor.example', chartRepo: 'https://harbor.example/chartrepo/addon'},
	env: {registryUser: 'admin'},
}) as {location: RegistryFacts['location']};
const harborMissing: RegistrySnapshot['spaces'] = {kind: 'harbor', existing: ['release.daocloud.io'], missing: ['docker.m.daocloud.io']};
const refused: WizardError = {
	kind: 'registry-tls',
	message:
		'TLS with the registry at https://harbor.example failed: its certificate is signed by a CA this host does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE).',
	hint: 'Pass the CA that signed it with --registry-ca FILE, or --registry-insecure to skip the check (Review will show it).',
	exitCode: 3,
};

function snapshot(spaces: RegistrySnapshot['spaces'] = harborMissing): RegistrySnapshot {
	return {
		tags: new Map(refs.map(ref => [ref, both])),
		spaces,
		neighbours: new Map(),
		auth: 'bearer',
		harbor: true,
		tls: 'system CAs',
		elapsedMs: 30,
		requests: 14,
	};
}

async function planWith(facts: Omit<RegistryFacts, 'location'>, extra: {leftover?: boolean} = {}): Promise<Plan> {
	const deps: PlanDeps = {
		diskInfo: async paths => paths.map(item => ({path: item, device: 'd', freeBytes: 1e12, totalBytes: 2e12})),
		planConfigEdit: async (file, newPaths) => ({path: file, newPaths, diff: '', originalText: '', newText: ''}),
		preflightFacts: async query => ({
			workdir: {path: query.workdir, exists: true, isDirectory: true, writable: true},
			packages: [],
			...(extra.leftover ? {leftover: {path: '/root/work/addon-offline-target-package', bytes: 5000, type: 'directory' as const}} : {}),
		}),
		registryFacts: async () => ({location: located.location, ...facts}),
	};
	const result = await buildPlan(
		{
			packages: [upgrade],
			cluster: {
				path: '/root/offline/sample/clusterConfig.yaml',
				kind: 'ClusterConfig',
				addonPackagePaths: ['/srv/packages/addon-offline-full-package-v0.10.0-amd64.tar.gz'],
				addonPathShape: 'string',
			},
			configPath: '/root/offline/sample/clusterConfig.yaml',
			manifestPath: '/root/offline/sample/manifest.yaml',
			installer: {path: '/root/dce5-installer', found: true, executable: true},
			workdir: '/root/work',
			watchPaths: [],
			importCommand: ['import', '-addon'],
			diskMargin: 0.1,
			registrySpaces: [],
			clusterArches: [],
		},
		deps,
	);
	if ('exitCode' in result) {
		throw new Error(result.message);
	}

	return result;
}

const tall = {rows: 70, columns: 100};

describe('Review: the Registry section', () => {
	it('says where the registry is, what its tags hold now and after, the first tags, and t lists them all', async () => {
		const plan = await planWith({registry: snapshot({kind: 'none', reason: 'https://harbor.example has no projects.'}), history: []});
		const harness = await onReview(plan, 'Registry', tall);
		const text = unwrap(harness.frame());
		expect(text).toContain(
			'Registry https://harbor.example: --registry https://harbor.example was given; user admin from ADDON_WIZARD_REGISTRY_USER / _PASSWORD; HTTPS, certificate checked against the system CAs',
		);
		// app1's amd64 config is the one in the registry: the same image, though its list still goes.
		expect(text).toContain('Images: 6 in the plan: 1 absent, 1 the same image, 4 a different image (by config digest)');
		expect(text).toContain('Cluster arches: amd64, arm64 (the registry shows amd64 in 5, arm64 in 5 of the 5 tags read)');
		expect(text).toContain('⚠ 5 tags lose arm64 (the plan does not put them back)');
		expect(text).toContain('Tags, now -> after the plan (the first 3 of 6; t: all):');
		expect(text).toContain('release.daocloud.io/kpanda/app0:v1 amd64+arm64 -> amd64 overwritten (loses arm64)');
		expect(text).not.toContain('app4:v1');
		expect(text).toContain('Read 5 tags in 30 ms (14 requests, login bearer, Harbor)');
		expect(frameLines(harness.frame()).at(-1)).toContain('t registry tags');

		const all = unwrap(await harness.pressAndWait('t', frame => unwrap(frame).includes('app4:v1')));
		expect(all).toContain('Tags, now -> after the plan (t: fewer):');
		expect(all).toContain('docker.m.daocloud.io/b:v1 none -> amd64 added (no arm64 image)');
	});

	it('says the registry could not be read and why, and what the plan fell back on, labelled unchecked', async () => {
		const history = [
			{
				at: 1,
				stepKind: 'import-addon' as const,
				outcome: 'ok',
				packages: [{fileName: 'addon-offline-full-package-v0.10.0-arm64.tar.gz', version: 'v0.10.0', arch: 'arm64'}],
			},
		];
		const plan = await planWith({registry: refused, charts: refused, history});
		const harness = await onReview(plan, 'not checked against the registry', tall);
		const text = unwrap(harness.frame());
		expect(text).toContain('Registry (not checked against the registry)');
		expect(text).toContain(`✘ ${refused.message} next: ${refused.hint}`);
		expect(text).toContain(
			"⚠ Not checked against the registry: the cluster's arches amd64, arm64 come from the wizard's history of this cluster shows arm64; clusterConfig.yaml adds amd64; the wizard's history has 1 step of this cluster.",
		);
		// The history's arm64 is enough for the guess: the hazard is still said.
		expect(text).toContain('⚠ Ready, with 1 warning: Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only');
	});

	it('with nothing to warn about and the registry unread, is Ready but says what it was not checked against', async () => {
		const plan = await planWith({registry: refused, charts: refused, history: []});
		const harness = await onReview(plan, 'Ready', tall);
		const text = unwrap(harness.frame());
		expect(text).toContain(`✔ Ready. Press enter to see the exact commands. Not checked against the registry: ${refused.message}`);
		// The hazards that pass are those the wizard can know without the registry, and the summary says so.
		expect(text).toContain('no version hazards known (registry not read)');
		expect(text).not.toContain(', no version hazards,');
	});
});

describe('Review: reading the registry', () => {
	it('shows how many tags have been read, and leaving Review aborts the read', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(upgrade)], inspections: [upgrade]});
		const harness = renderWizard({ports});
		await harness.waitForFrame('read ok');
		harness.press(` ${keys.enter}`);
		await ports.plans.nth(0);
		const options = ports.planOptions[0]!;
		// Until the registry answers, Review names whom it waits for (a dead address waits for the timeout).
		options?.onRegistryProgress?.({done: 0, total: 1000, elapsedMs: 0, connectingTo: 'https://10.6.135.222'});
		expect(unwrap(await harness.waitForFrame('connecting to'))).toContain('connecting to the registry at https://10.6.135.222…');
		options?.onRegistryProgress?.({done: 250, total: 1000, elapsedMs: 400});
		expect(unwrap(await harness.waitForFrame('reading the registry'))).toContain('25% reading the registry: 250 of 1000 tags');
		expect(options?.signal?.aborted).toBe(false);

		await harness.pressAndWait('b', 'PACKAGES');
		await waitUntil(() => (options?.signal?.aborted ? true : undefined), 'the registry read to be aborted');
	});
});

describe('Review: c creates the registry spaces', () => {
	it('asks first, naming the projects, the registry and the account; n keeps the plan as it is', async () => {
		const plan = await planWith({registry: snapshot(), history: []});
		const harness = await onReview(plan, 'The plan is blocked', tall);
		expect(unwrap(harness.frame())).toContain(
			'✘ Registry spaces missing in https://harbor.example: docker.m.daocloud.io: pushing into them fails. next: Press c to create them as public Harbor projects (shown first); if this login may not create projects, have a Harbor administrator create them (Projects > New Project).',
		);
		expect(frameLines(harness.frame()).at(-1)).toMatch(/^c (create registry )?spaces · /);

		const asking = await harness.pressAndWait('c', 'y creates it');
		expect(unwrap(asking)).toContain(
			'⚠ Create 1 public Harbor project in https://harbor.example (user admin from ADDON_WIZARD_REGISTRY_USER / _PASSWORD): docker.m.daocloud.io? y creates it, n keeps the plan as it is.',
		);
		expect(frameLines(asking).at(-1)).toBe('y create them · n/esc do not create them · up/down scroll · ? help · q quit');
		// Enter does not walk past the question.
		harness.press(keys.enter);
		const kept = await harness.pressAndWait('n', frame => !frame.includes('y creates it'));
		expect(kept).toContain('REVIEW');
		await settleKeys(harness);
		expect(harness.ports.spaceCreations.count).toBe(0);

		await harness.pressAndWait('c', 'y creates it');
		const back = await harness.pressAndWait(keys.escape, frame => !frame.includes('y creates it'));
		expect(back).toContain('REVIEW');
	});

	it("y creates them, the plan is read again (keeping x's choice), and its spaces row passes", async () => {
		const blocked = await planWith({registry: snapshot(), history: []}, {leftover: true});
		const fixed = await planWith(
			{registry: snapshot({kind: 'harbor', existing: ['docker.m.daocloud.io', 'release.daocloud.io'], missing: []}), history: []},
			{leftover: true},
		);
		const harness = await onReview(blocked, 'The plan is blocked', {
			...tall,
			fake: {laterPlans: [fixed], spaces: {created: [{name: 'docker.m.daocloud.io', outcome: 'created'}]}},
		});
		await harness.pressAndWait('x', 'Removes the leftover');
		await harness.pressAndWait('c', 'y creates it');
		harness.press('y');
		const call = await harness.ports.spaceCreations.nth(0);
		expect(call.args).toEqual(['docker.m.daocloud.io']);
		const ready = unwrap(await harness.waitForFrame(frame => unwrap(frame).includes('the plan was read again') && frame.includes('Ready')));
		expect(harness.ports.plans.count).toBe(2);
		expect(ready).toContain('✔ Harbor projects in https://harbor.example: docker.m.daocloud.io (created); the plan was read again.');
		expect(ready).toContain('✔ Harbor projects: 2 needed, all there (docker.m.daocloud.io, release.daocloud.io)');
		expect(ready).toContain('⚠ Removes the leftover /root/work/addon-offline-target-package');
		expect(frameLines(harness.frame()).at(-1)).not.toContain('c create');
	});

	it('shows a refusal with the account that lacked the rights, and reads nothing again', async () => {
		const plan = await planWith({registry: snapshot(), history: []});
		const forbidden: WizardError = {
			kind: 'registry-forbidden',
			message:
				'Harbor refused to create project "docker.m.daocloud.io" for user "dev" (403): creating projects needs a Harbor administrator, or project creation open to all users.',
			hint: 'Log in as a Harbor administrator.',
			exitCode: 3,
		};
		const harness = await onReview(plan, 'The plan is blocked', {...tall, fake: {spaces: {created: [], error: forbidden}}});
		await harness.pressAndWait('c', 'y creates it');
		const refusedFrame = unwrap(await harness.pressAndWait('y', frame => unwrap(frame).includes('for user "dev" (403)')));
		expect(refusedFrame).toContain(`✘ ${forbidden.message} next: ${forbidden.hint}`);
		expect(harness.ports.plans.count).toBe(1);
		expect(frameLines(harness.frame()).at(-1)).toMatch(/^c (create registry )?spaces · /);
	});
});
