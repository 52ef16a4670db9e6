import {describe, expect, it} from 'vitest';
import {currentArches, currentFrom, decideOperation} from '../../../source/domain/plan/decide-operation.js';
import type {PackageInspection} from '../../../source/domain/packages/inspection.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import {reviewRegistry, type RegistryFacts, type RegistrySnapshot, type StepImages} from '../../../source/domain/plan/registry-review.js';
import type {TagState} from '../../../source/domain/registry/tag-state.js';
import {findHazards, judgedByRegistry, registryHazards} from '../../../source/domain/plan/version-hazards.js';
import {full, gpu, jenkins, metax, standard} from '../packages/make-inspection.js';

/** What findHazards says when the cluster's config points at `configured`. */
function hazards(chosen: PackageInspection[], configured: string[], clusterArches: string[] = []) {
	const decision = decideOperation(chosen, currentFrom(configured, undefined));
	return findHazards(chosen, decision, clusterArches);
}

const codes = (findings: Array<{code: string}>) => findings.map(finding => finding.code);
const amd64At = (version: string) => [`/home/addon-offline-full-package-${version}-amd64.tar.gz`];

describe('architecture conflict below 0.12.0', () => {
	it('warns when a multi-arch cluster is upgraded to v0.11 with amd64 only, and asks for the arm64 package', () => {
		const findings = hazards([full('v0.11.0', 'amd64')], amd64At('v0.10.0'), ['amd64', 'arm64']);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.severity).toBe('warning');
		expect(findings[0]!.message).toContain('v0.11.0');
		expect(findings[0]!.message).toContain('amd64-only');
		expect(findings[0]!.message).toContain('arm64');
		expect(findings[0]!.hint).toBe('Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.');
	});

	it('says the plan restores the other arch when its package is chosen too, and the decision integrates it after cluster-create', () => {
		const chosen = [full('v0.11.0', 'amd64'), full('v0.11.0', 'arm64')];
		const decision = decideOperation(chosen, currentFrom(amd64At('v0.10.0'), undefined));
		expect(decision.operation).toBe('multi-arch-upgrade');
		expect(decision.integrations.map(item => item.name?.arch)).toEqual(['arm64']);
		const findings = findHazards(chosen, decision, []);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.hint).toBe('The plan integrates arm64 right after the upgrade to restore them.');
	});

	it('stays quiet from 0.12.0 on, whose charts-syncer keeps existing multi-arch tags', () => {
		expect(hazards([full('v0.12.0', 'amd64')], amd64At('v0.11.0'), ['amd64', 'arm64'])).toEqual([]);
		expect(hazards([full('v0.13.0', 'amd64'), full('v0.13.0', 'arm64')], amd64At('v0.11.0'))).toEqual([]);
	});

	it('treats a 0.12.0 pre-release as below 0.12.0', () => {
		expect(codes(hazards([full('v0.12.0-rc1', 'amd64')], amd64At('v0.11.0'), ['amd64', 'arm64']))).toEqual(['arch-conflict-below-0.12']);
	});

	it('stays quiet for a single-arch cluster, and for a first import', () => {
		expect(hazards([full('v0.11.0', 'amd64')], amd64At('v0.10.0'), ['amd64'])).toEqual([]);
		expect(hazards([full('v0.11.0', 'amd64')], amd64At('v0.10.0'))).toEqual([]);
		expect(hazards([full('v0.11.0', 'amd64'), full('v0.11.0', 'arm64')], [])).toEqual([]);
	});

	// Was silent: only the first entry of a list was read, so the arm64 entry was never seen.
	it('fires for a cluster whose addonPackage.path list names amd64 and arm64, with no --cluster-arches', () => {
		const list = ['/home/addon-offline-full-package-v0.10.0-amd64.tar.gz', '/home/addon-offline-full-package-v0.10.0-arm64.tar.gz'];
		const findings = hazards([full('v0.11.0', 'amd64')], list);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.message).toBe(
			'Upgrading to v0.11.0 (below 0.12.0) rewrites the multi-arch images as amd64-only; arm64 nodes lose their images until the next integration.',
		);
		expect(findings[0]!.hint).toBe('Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.');
		expect(hazards([full('v0.12.0', 'amd64')], list)).toEqual([]);
	});

	it('understands the uname spellings of --cluster-arches (x86_64, aarch64)', () => {
		const chosen = [full('v0.11.0', 'amd64'), full('v0.11.0', 'arm64')];
		const findings = hazards(chosen, amd64At('v0.10.0'), ['x86_64', 'aarch64']);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.message).not.toContain('x86_64');
		expect(findings[0]!.hint).toBe('The plan integrates arm64 right after the upgrade to restore them.');
	});
});

describe('version changes', () => {
	it('warns about a downgrade', () => {
		const findings = hazards([full('v0.9.0', 'amd64')], amd64At('v0.11.0'));
		expect(codes(findings)).toEqual(['downgrade']);
		expect(findings[0]!.message).toBe(
			'Downgrade: addon-offline-full-package-v0.9.0-amd64.tar.gz is older than v0.11.0, which the cluster has.',
		);
		expect(findings[0]!.hint).toBeTruthy();
	});

	it('warns about re-importing the version the cluster already has', () => {
		const findings = hazards([full('v0.11.0', 'amd64')], amd64At('v0.11.0'));
		expect(codes(findings)).toEqual(['same-version']);
		expect(findings[0]!.message).toBe('Re-import: the cluster already has v0.11.0 (amd64).');
	});

	it('says nothing for a normal upgrade or a same-version integration', () => {
		expect(hazards([full('v0.11.0', 'amd64')], amd64At('v0.9.0'))).toEqual([]);
		expect(hazards([full('v0.9.0', 'arm64')], amd64At('v0.9.0'))).toEqual([]);
	});

	it('warns when an integration would put another version beside the one imported', () => {
		const findings = hazards([full('v0.11.0', 'arm64')], amd64At('v0.9.0'));
		expect(codes(findings)).toEqual(['mixed-kinds']);
		expect(findings[0]!.message).toContain('v0.11.0');
		expect(findings[0]!.message).toContain('v0.9.0');
	});
});

describe('mixed packages', () => {
	const v18 = (version: string) => [`/p/standard-addon-offline-package-${version}-amd64.tar.gz`];

	it('accepts standard + gpu packages of one release', () => {
		expect(hazards([standard('v0.19.0', 'amd64'), gpu('v0.19.0', 'amd64'), standard('v0.19.0', 'arm64')], v18('v0.18.0'))).toEqual([]);
	});

	// Was: every finding a warning. Two releases for one arch cannot go into one cluster-create.
	it('blocks a pre-v0.18 full package mixed with a v0.18 gpu one for the same arch, and still warns about the mix of lines', () => {
		const findings = hazards([full('v0.17.0', 'amd64'), gpu('v0.18.0', 'amd64')], []);
		expect(findings.find(finding => finding.code === 'release-versions-mixed')).toMatchObject({severity: 'error'});
		const messages = findings.filter(finding => finding.code === 'mixed-kinds').map(finding => finding.message);
		expect(messages).toEqual(['A pre-v0.18 full package is mixed with v0.18+ standard/gpu packages.']);
	});

	it('blocks versions mixed inside one arch, naming them, and says which releases to pick from', () => {
		const findings = hazards([standard('v0.44.0', 'amd64'), gpu('v0.43.0', 'amd64'), standard('v0.44.0', 'arm64')], v18('v0.42.0'));
		const mixed = findings.filter(finding => finding.code === 'release-versions-mixed');
		expect(mixed).toEqual([
			{
				code: 'release-versions-mixed',
				severity: 'error',
				message:
					'amd64 packages of different releases are chosen (standard v0.44.0, gpu v0.43.0): one cluster-create or integration run takes the files of one release.',
				hint: 'Choose the amd64 packages of one release only (v0.44.0 or v0.43.0).',
			},
		]);
	});

	it('accepts the four amd64 kinds of v0.44.0 as one release, whatever chart versions each carries', () => {
		const chosen = [
			standard('v0.44.0', 'amd64', {charts: ['metax-operator@0.14.2']}),
			gpu('v0.44.0', 'amd64'),
			metax('v0.44.0', 'amd64', {charts: ['metax-operator@0.9.0']}),
			jenkins('v0.44.0', 'amd64'),
		];
		expect(hazards(chosen, v18('v0.43.0'))).toEqual([]);
	});

	it('says a re-import of a set once, not once per kind', () => {
		const findings = hazards([standard('v0.44.0', 'amd64'), gpu('v0.44.0', 'amd64'), metax('v0.44.0', 'amd64')], v18('v0.44.0'));
		expect(codes(findings)).toEqual(['same-version']);
	});

	it('compares each kind with the same kind in the list when the cluster names it', () => {
		const configured = ['/p/standard-addon-offline-package-v0.44.0-amd64.tar.gz', '/p/gpu-addon-offline-package-v0.43.0-amd64.tar.gz'];
		const findings = hazards([standard('v0.44.0', 'amd64'), gpu('v0.44.0', 'amd64')], configured);
		expect(findings).toEqual([
			expect.objectContaining({code: 'same-version', message: 'Re-import: the cluster already has v0.44.0 (amd64).'}),
		]);
	});

	it('blocks two packages of the same arch and kind', () => {
		const findings = hazards([full('v0.11.0', 'amd64'), full('v0.11.0', 'amd64', {dir: '/other'})], amd64At('v0.9.0'));
		const duplicate = findings.find(finding => finding.code === 'duplicate-arch');
		expect(duplicate?.severity).toBe('error');
		expect(duplicate?.message).toContain('amd64/full');
	});

	it('passes on the errors a chosen package carries, naming the file', () => {
		const damaged = full('v0.11.0', 'amd64', {
			findings: [
				{code: 'truncated', severity: 'error', message: 'Package is truncated.', hint: 'Copy it again.'},
				{code: 'checksum-unknown', severity: 'info', message: 'No published checksum.'},
			],
		});
		const findings = hazards([damaged], amd64At('v0.9.0'));
		expect(findings).toEqual([
			{
				code: 'truncated',
				severity: 'error',
				message: 'addon-offline-full-package-v0.11.0-amd64.tar.gz: Package is truncated.',
				hint: 'Copy it again.',
			},
		]);
	});
});

describe('hazards judged from the registry', () => {
	const cfg = (name: string) => `sha256:${name.padEnd(64, '0')}`;
	const both: TagState = {
		kind: 'list',
		images: [
			{arch: 'amd64', os: 'linux', configDigest: cfg('a1')},
			{arch: 'arm64', os: 'linux', configDigest: cfg('a2')},
		],
	};
	const amd64Only: TagState = {kind: 'image', image: {arch: 'amd64', os: 'linux', configDigest: cfg('a1')}};
	const refs = [
		'release.daocloud.io/kpanda/a:v1',
		'release.daocloud.io/kpanda/b:v1',
		'release.daocloud.io/kpanda/c:v1',
		'release.daocloud.io/kpanda/d:v1',
	];
	const located = locateRegistry({document: undefined, flags: {registry: 'http://127.0.0.1:5000', chartRepo: 'http://127.0.0.1:8081'}});

	/** The plan's review and hazards for `chosen` against a registry holding `tags` at a, b and c (d is absent). */
	function judge(chosen: PackageInspection[], configured: string[], tags: TagState | undefined, index: Array<[string, string[]]> = []) {
		const decision = decideOperation(chosen, currentFrom(configured, undefined));
		const ordered = [...decision.clusterCreate, ...decision.integrations];
		const steps: StepImages[] = ordered.map((item, index_) => ({
			stepId: `s${index_}`,
			push: decision.clusterCreate.includes(item) ? {kind: 'cluster-create', version: item.name!.version} : {kind: 'import-addon'},
			arch: item.name!.arch,
			version: item.name!.version,
			images: item.images.map(image => ({...image, configDigest: cfg(`${image.repository}${item.fileName}`)})),
			charts: item.charts,
		}));
		const snapshot: RegistrySnapshot = {
			tags: new Map(tags ? refs.slice(0, 3).map(ref => [ref, tags]) : []),
			spaces: {kind: 'none', reason: 'plain'},
			neighbours: new Map(),
			auth: 'none',
			harbor: false,
			tls: 'plain',
			elapsedMs: 1,
			requests: 1,
		};
		const facts: RegistryFacts = {
			location: (located as {location: RegistryFacts['location']}).location,
			registry: snapshot,
			charts: {charts: new Map(index), url: 'http://127.0.0.1:8081/index.yaml', bytes: 1},
			history: [],
		};
		const review = reviewRegistry({facts, steps, flagArches: [], configArches: currentArches(decision.current)});
		const integrationSteps = ordered.flatMap((item, index_) =>
			decision.integrations.includes(item) ? [{number: index_ + 1, arch: item.name!.arch}] : [],
		);
		return registryHazards({decision, review, integrationSteps});
	}

	const images = refs.slice(0, 3);
	const charts = ['kpanda@0.20.1'];

	it('finds the <0.12.0 hazard with no flag: the config names amd64 only, the registry holds lists', () => {
		const findings = judge([full('v0.11.0', 'amd64', {images, charts})], amd64At('v0.10.0'), both);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.message).toBe(
			'Upgrading to v0.11.0 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images, and nothing in the plan puts arm64 back: arm64 nodes cannot pull them.',
		);
		expect(findings[0]!.details).toEqual({count: 3, tags: images});
		expect(findings[0]!.hint).toBe('Choose the v0.11.0 arm64 package too, so the plan integrates it right after the upgrade.');
		// The same upgrade of a registry that holds amd64 only: no arch to lose, but another build goes over each tag.
		expect(codes(judge([full('v0.11.0', 'amd64', {images, charts})], amd64At('v0.10.0'), amd64Only))).toEqual(['image-replaced']);
	});

	it('names the tags whose image a below-0.12.0 push replaces with another build, and stays quiet for the same build', () => {
		const findings = judge([full('v0.11.0', 'amd64', {images, charts})], amd64At('v0.10.0'), amd64Only);
		expect(findings).toEqual([
			{
				code: 'image-replaced',
				severity: 'warning',
				message:
					'3 tags in the registry hold another amd64 image than this plan pushes, and the plan pushes over them: the image there now is no longer tagged (release.daocloud.io/kpanda/a:v1, release.daocloud.io/kpanda/b:v1 and 1 more).',
				hint: 'Make sure this package is the build you mean to put there; the image it replaces comes back only by importing its own package again.',
				details: {tags: images, count: 3},
			},
		]);
		// The build the tags hold already: nothing replaced (the chart's new version is all that changes).
		const sameBuild = (repository: string): TagState => ({
			kind: 'image',
			image: {arch: 'amd64', os: 'linux', configDigest: cfg(`${repository}addon-offline-full-package-v0.11.0-amd64.tar.gz`)},
		});
		const held = judgeTags(
			[full('v0.11.0', 'amd64', {images, charts})],
			new Map(images.map(ref => [ref, sameBuild(ref.slice('release.daocloud.io/'.length, ref.lastIndexOf(':')))])),
		);
		expect(codes(held)).toEqual([]);
		// From 0.12.0 a tag that holds the arch is left alone: another build there is not replaced.
		expect(codes(judge([full('v0.12.0', 'amd64', {images, charts})], amd64At('v0.11.0'), amd64Only))).toEqual([]);

		function judgeTags(chosen: PackageInspection[], tags: Map<string, TagState>) {
			const decision = decideOperation(chosen, currentFrom(amd64At('v0.11.0'), undefined));
			const steps: StepImages[] = chosen.map((item, index_) => ({
				stepId: `s${index_}`,
				push: {kind: 'cluster-create', version: item.name!.version},
				arch: item.name!.arch,
				version: item.name!.version,
				images: item.images.map(image => ({...image, configDigest: cfg(`${image.repository}${item.fileName}`)})),
				charts: item.charts,
			}));
			const facts: RegistryFacts = {
				location: (located as {location: RegistryFacts['location']}).location,
				registry: {
					tags,
					spaces: {kind: 'none', reason: 'plain'},
					neighbours: new Map(),
					auth: 'none',
					harbor: false,
					tls: 'plain',
					elapsedMs: 1,
					requests: 1,
				},
				charts: {charts: new Map([['kpanda', ['0.20.0']]]), url: 'http://127.0.0.1:8081/index.yaml', bytes: 1},
				history: [],
			};
			return registryHazards({
				decision,
				review: reviewRegistry({facts, steps, flagArches: [], configArches: ['amd64']}),
				integrationSteps: [],
			});
		}
	});

	it('says the integration right after restores them when the arm64 package is chosen too', () => {
		const findings = judge(
			[full('v0.11.0', 'amd64', {images, charts}), full('v0.11.0', 'arm64', {images, charts})],
			amd64At('v0.10.0'),
			both,
		);
		expect(codes(findings)).toEqual(['arch-conflict-below-0.12']);
		expect(findings[0]!.message).toBe(
			'Upgrading to v0.11.0 (below 0.12.0) turns 3 multi-arch tags in the registry into amd64-only images until step 2 integrates arm64 again.',
		);
		expect(findings[0]!.hint).toBe('Until then arm64 nodes cannot pull these images: start the run when their workloads can wait.');
	});

	it('from 0.12.0 the lists stay, but new tags of the upgrade would hold amd64 only on a multi-arch cluster', () => {
		const upgrade = full('v0.12.0', 'amd64', {images: [...images, refs[3]!], charts});
		const byTag = new Map(refs.slice(0, 3).map(ref => [ref, both]));
		const decision = decideOperation([upgrade], currentFrom(amd64At('v0.11.0'), undefined));
		expect(decision.operation).toBe('single-arch-upgrade');
		const findings = judgeMap([upgrade], byTag);
		expect(codes(findings)).toEqual(['arch-missing-after-plan']);
		expect(findings[0]!.message).toBe(
			'1 tag of v0.12.0 will hold amd64 only while the cluster runs arm64 too: arm64 nodes cannot pull them.',
		);
		expect(findings[0]!.details).toEqual({
			count: 1,
			tags: [refs[3]],
			clusterArches: 'the registry shows amd64 in 3, arm64 in 3 of the 3 tags read',
		});
		expect(findings[0]!.hint).toBe('Choose the v0.12.0 arm64 package too, so the plan integrates it after the upgrade.');

		function judgeMap(chosen: PackageInspection[], tags: Map<string, TagState>) {
			const steps: StepImages[] = [
				{
					stepId: 's0',
					push: {kind: 'cluster-create', version: 'v0.12.0'},
					arch: 'amd64',
					version: 'v0.12.0',
					images: chosen[0]!.images,
					charts: chosen[0]!.charts,
				},
			];
			const facts: RegistryFacts = {
				location: (located as {location: RegistryFacts['location']}).location,
				registry: {
					tags,
					spaces: {kind: 'none', reason: 'plain'},
					neighbours: new Map(),
					auth: 'none',
					harbor: false,
					tls: 'plain',
					elapsedMs: 1,
					requests: 1,
				},
				history: [],
			};
			return registryHazards({
				decision,
				review: reviewRegistry({facts, steps, flagArches: [], configArches: ['amd64']}),
				integrationSteps: [],
			});
		}
	});

	it('warns that an arm64 integration alone brings another release when the repository holds its charts at other versions', () => {
		const findings = judge([full('v0.11.0', 'arm64', {images: [refs[3]!], charts: ['kpanda@0.21.0']})], amd64At('v0.10.0'), amd64Only, [
			['kpanda', ['0.20.1']],
		]);
		expect(codes(findings)).toEqual(['versions-mixed-in-registry']);
		expect(findings[0]!.message).toBe(
			'The chart repository holds 1 chart of the v0.11.0 arm64 package at another version (kpanda 0.20.1 there, 0.21.0 here): the cluster runs another release for amd64, and 1 tag would hold arm64 only.',
		);
		expect(findings[0]!.hint).toBe(
			'Integrate the arm64 package of the release the cluster runs, or upgrade to v0.11.0 first (choose its amd64 package too).',
		);
		// The same release as the repository holds: nothing mixed.
		expect(
			judge([full('v0.11.0', 'arm64', {images, charts: ['kpanda@0.20.1']})], amd64At('v0.11.0'), amd64Only, [['kpanda', ['0.20.1']]]),
		).toEqual([]);
	});

	it('says, as information, that a plan the registry already holds in full changes nothing', () => {
		const again = full('v0.11.0', 'amd64', {images, charts});
		const decision = decideOperation([again], currentFrom(amd64At('v0.11.0'), undefined));
		const same: TagState = {kind: 'image', image: {arch: 'amd64', os: 'linux', configDigest: cfg('same')}};
		const judgeAgainst = (index: Array<[string, string[]]> | undefined) => {
			const steps: StepImages[] = [
				{
					stepId: 's0',
					push: {kind: 'cluster-create', version: 'v0.11.0'},
					arch: 'amd64',
					version: 'v0.11.0',
					images: again.images.map(image => ({...image, configDigest: cfg('same')})),
					charts: again.charts,
				},
			];
			const facts: RegistryFacts = {
				location: (located as {location: RegistryFacts['location']}).location,
				registry: {
					tags: new Map(images.map(ref => [ref, same])),
					spaces: {kind: 'none', reason: 'plain'},
					neighbours: new Map(),
					auth: 'none',
					harbor: false,
					tls: 'plain',
					elapsedMs: 1,
					requests: 1,
				},
				charts: index ? {charts: new Map(index), url: 'http://127.0.0.1:8081/index.yaml', bytes: 1} : undefined,
				history: [],
			};
			return registryHazards({
				decision,
				review: reviewRegistry({facts, steps, flagArches: [], configArches: ['amd64']}),
				integrationSteps: [],
			});
		};

		const held = judgeAgainst([['kpanda', ['0.20.1']]]);
		expect(held.map(finding => [finding.code, finding.severity])).toEqual([['already-in-registry', 'info']]);
		expect(held[0]!.message).toBe(
			'The registry already holds all of this plan: 3 tags with the same image and 1 chart at its version in the chart repository. Running it changes nothing.',
		);
		// A chart the repository holds at another version is a change: nothing said.
		expect(judgeAgainst([['kpanda', ['0.20.0']]])).toEqual([]);
		// No chart repository read: said of the registry alone.
		expect(judgeAgainst(undefined)[0]!.message).toContain(
			'Running it changes nothing in the registry (the chart repository was not read).',
		);
	});

	it('marks the config-based findings the registry replaces', () => {
		const guessed = hazards([full('v0.11.0', 'arm64')], amd64At('v0.10.0'));
		expect(guessed.filter(finding => judgedByRegistry(finding)).map(finding => finding.code)).toEqual(['mixed-kinds']);
		// Two versions chosen for two arches is the operator's choice, whatever the registry holds.
		const chosen = hazards([full('v0.11.0', 'amd64'), full('v0.10.0', 'arm64')], []);
		expect(chosen.filter(finding => finding.code === 'mixed-kinds' && !judgedByRegistry(finding))).toHaveLength(1);
	});
});
