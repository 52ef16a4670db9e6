// Undo's preview says the arches of what each tag holds now, beside the saved ones, against a real
// docker-registry: a list clobbered by its own amd64 child reads `(amd64) → … (amd64+arm64)` with
// no request beyond one GET per tag and the content checks; two tags clobbered by one new image
// cost one config blob between them; a tag someone else re-pushed shows that image's arch; an
// arch that cannot be read is left unsaid, never guessed.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mediaTypes} from '../../../source/domain/registry/manifest.js';
import {savedTagOf, type StepSnapshot} from '../../../source/domain/registry/tag-snapshot.js';
import type {ReadTarget} from '../../../source/domain/registry/tag-state.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {toPublicUndo} from '../../../source/report/contract/undo.js';
import {undoPreviewText} from '../../../source/report/run/undo-text.js';
import type {RestorePort} from '../../../source/workflow/ports/snapshot-port.js';
import {previewUndo, type UndoPreview} from '../../../source/workflow/run/undo/undo-step.js';
import {curlManifest, putManifestList, skopeoPush, writeImageArchive} from '../../helpers/registry-fixtures.js';
import {restorePortFor} from '../../helpers/restore-port.js';
import {startRegistry, type TestRegistry} from '../../helpers/registry.js';

let dir: string;
let registry: TestRegistry;
let port: RestorePort;
/** Every manifest and blob request the port sent, as `METHOD path`. */
let sent: string[] = [];

function ok<T>(value: T): Exclude<T, {exitCode: number}> {
	expect(isWizardError(value), JSON.stringify(value)).toBe(false);
	return value as Exclude<T, {exitCode: number}>;
}

async function pushArch(repository: string, tag: string, arch: string, salt: string) {
	const archive = await writeImageArchive(dir, {name: `${repository}:${tag}`, arch, salt});
	await skopeoPush(registry, archive.path, `${repository}:${tag}`);
	return {archive: archive.path, configDigest: archive.configDigest, manifest: await curlManifest(registry, repository, tag)};
}

/** An amd64+arm64 list at `repo:tag` whose children keep no tag; answers the amd64 child's archive. */
async function pushList(repository: string, tag: string) {
	const amd64 = await pushArch(repository, tag, 'amd64', `${tag} amd64`);
	const arm64 = await pushArch(repository, tag, 'arm64', `${tag} arm64`);
	const children = [
		{manifest: amd64.manifest, platform: {architecture: 'amd64', os: 'linux'}},
		{manifest: arm64.manifest, platform: {architecture: 'arm64', os: 'linux'}},
	];
	await putManifestList(registry, repository, tag, children, mediaTypes.dockerList);
	return amd64;
}

/** The snapshot before the step, and (`afterStep`) the digests the step left. */
async function snapshotOf(targets: ReadTarget[]): Promise<StepSnapshot> {
	const saved = ok(await port.save(targets));
	const tags = targets.map((target, index) => savedTagOf(target, saved[index]!));
	return {runId: 'run-test', stepIndex: 0, stepId: 'upgrade', configPath: '/c.yaml', registry: port.registry, takenAt: 0, tags};
}

async function afterStep(snapshot: StepSnapshot): Promise<StepSnapshot> {
	const heads = ok(await port.digests(snapshot.tags));
	return {
		...snapshot,
		tags: snapshot.tags.map((tag, at) => ({
			...tag,
			after: heads[at]!.kind === 'present' ? (heads[at] as {digest: string}).digest : 'absent',
		})),
	};
}

async function preview(snapshot: StepSnapshot): Promise<{preview: UndoPreview; requests: string[]}> {
	sent = [];
	const previewed = ok(await previewUndo(snapshot, port, {force: false, removeAdded: false}));
	return {preview: previewed, requests: [...sent]};
}

const lineOf = (text: string, ref: string) => text.split('\n').find(line => line.includes(ref)) ?? '';

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-undo-arches-'));
	registry = await startRegistry();

	const onRequest = (event: {phase: string; method: string; url: string; attempt: number}) => {
		const at = new URL(event.url).pathname;
		if (event.phase === 'start' && event.attempt === 0 && /\/(manifests|blobs)\//.test(at)) {
			sent.push(`${event.method} ${at}`);
		}
	};

	port = restorePortFor(registry, {onRequest});
}, 60_000);

afterAll(async () => {
	await port?.close();
	await registry?.stop();
	await rm(dir, {recursive: true, force: true});
});

describe("undo's preview says now's arches", () => {
	it('a list clobbered by its own amd64 child: (amd64) → … (amd64+arm64), in words and JSON, one GET per tag and no config blob', async () => {
		const amd64 = await pushList('daocloud/dao-2048', 'v1.4.1');
		const snapshot = await snapshotOf([{repository: 'daocloud/dao-2048', tag: 'v1.4.1'}]);
		// The <0.12.0 step pushes the very amd64 image the list points to.
		await skopeoPush(registry, amd64.archive, 'daocloud/dao-2048:v1.4.1');
		expect((await curlManifest(registry, 'daocloud/dao-2048', 'v1.4.1')).digest).toBe(amd64.manifest.digest);
		const after = await afterStep(snapshot);

		const {preview: previewed, requests} = await preview(after);
		expect(previewed.tags[0]).toMatchObject({
			action: 'restore',
			now: {kind: 'present', arches: ['amd64']},
			beforeArches: ['amd64', 'arm64'],
		});
		expect(lineOf(undoPreviewText(previewed), 'daocloud/dao-2048:v1.4.1')).toMatch(
			/put back +daocloud\/dao-2048:v1\.4\.1 +[0-9a-f]{12} \(amd64\) → [0-9a-f]{12} \(amd64\+arm64\)$/,
		);
		expect(toPublicUndo(previewed, undefined).tags[0]).toMatchObject({nowArches: ['amd64'], beforeArches: ['amd64', 'arm64']});
		// What a HEAD-only preview sent: the tag once, then the saved list's children by digest.
		expect(requests.filter(request => request.includes('/manifests/v1.4.1'))).toEqual(['GET /v2/daocloud/dao-2048/manifests/v1.4.1']);
		expect(requests.filter(request => request.startsWith('GET') && request.includes('/blobs/'))).toEqual([]);
		expect(requests.every(request => request.includes('/manifests/v1.4.1') || request.startsWith('HEAD'))).toBe(true);
	}, 180_000);

	it('two tags clobbered by one new image cost one config blob between them; a re-push by someone else shows its arch', async () => {
		await pushList('bitnami/nginx', '1.25.1');
		await pushList('bitnami/nginx', '1.25.2');
		await pushList('bitnami/nginx', '1.25.3');
		const targets = ['1.25.1', '1.25.2', '1.25.3'].map(tag => ({repository: 'bitnami/nginx', tag}));
		const snapshot = await snapshotOf(targets);
		// The step: one new amd64 image over all three tags.
		const step = await pushArch('bitnami/nginx', '1.25.1', 'amd64', 'the step');
		await skopeoPush(registry, step.archive, 'bitnami/nginx:1.25.2');
		await skopeoPush(registry, step.archive, 'bitnami/nginx:1.25.3');
		const after = await afterStep(snapshot);
		// Then someone else pushes an arm64 image over the third.
		await pushArch('bitnami/nginx', '1.25.3', 'arm64', 'someone else');

		const {preview: previewed, requests} = await preview(after);
		expect(previewed.tags.map(tag => [tag.action, tag.now.kind === 'present' ? tag.now.arches : undefined])).toEqual([
			['restore', ['amd64']],
			['restore', ['amd64']],
			['changed-by-someone-else', ['arm64']],
		]);
		const text = undoPreviewText(previewed);
		expect(lineOf(text, 'nginx:1.25.2')).toMatch(/[0-9a-f]{12} \(amd64\) → [0-9a-f]{12} \(amd64\+arm64\)$/);
		expect(lineOf(text, 'nginx:1.25.3')).toMatch(
			/left alone +bitnami\/nginx:1\.25\.3 +[0-9a-f]{12} \(arm64\): pushed since the step by someone else/,
		);
		// One GET per tag, and each new config read once: the step's shared one, and the re-push's.
		expect(requests.filter(request => request.includes('/manifests/1.25.'))).toHaveLength(3);
		expect(requests.filter(request => request.startsWith('GET') && request.includes('/blobs/'))).toHaveLength(2);
	}, 180_000);

	it("says nothing of now's arch where its config cannot be read, and the JSON has no nowArches", async () => {
		await pushList('kpanda/gone-config', 'v1');
		const snapshot = await snapshotOf([{repository: 'kpanda/gone-config', tag: 'v1'}]);
		// The step's image, then its config blob lost from storage (as a broken disk or a hand clean-up
		// would leave it): the manifest still reads, the config answers an error.
		const step = await pushArch('kpanda/gone-config', 'v1', 'amd64', 'step');
		const after = await afterStep(snapshot);
		const hex = step.configDigest.slice('sha256:'.length);
		await rm(path.join(registry.dataDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex), {recursive: true, force: true});

		const {preview: previewed} = await preview(after);
		expect(previewed.tags[0]).toMatchObject({action: 'restore', now: {kind: 'present'}});
		expect(previewed.tags[0]!.now).not.toHaveProperty('arches');
		expect(lineOf(undoPreviewText(previewed), 'kpanda/gone-config:v1')).toMatch(
			/put back +kpanda\/gone-config:v1 +[0-9a-f]{12} → [0-9a-f]{12} \(amd64\+arm64\)$/,
		);
		expect(toPublicUndo(previewed, undefined).tags[0]).not.toHaveProperty('nowArches');
	}, 180_000);

	it("costs no config blob for the step's own image when the snapshot names the images the step pushes, as a run saves it", async () => {
		await pushList('kpanda/named', 'v1');
		const step = await writeImageArchive(dir, {name: 'kpanda/named:v1', arch: 'amd64', salt: 'named step'});
		const snapshot = await snapshotOf([
			{repository: 'kpanda/named', tag: 'v1', images: [{arch: 'amd64', os: 'linux', configDigest: step.configDigest}]},
		]);
		expect(snapshot.tags[0]!.images).toEqual([{arch: 'amd64', os: 'linux', configDigest: step.configDigest}]);
		await skopeoPush(registry, step.path, 'kpanda/named:v1');
		const after = await afterStep(snapshot);

		const {preview: previewed, requests} = await preview(after);
		expect(previewed.tags[0]).toMatchObject({action: 'restore', now: {kind: 'present', arches: ['amd64']}});
		expect(requests.filter(request => request.startsWith('GET') && request.includes('/blobs/'))).toEqual([]);
	}, 180_000);
});
