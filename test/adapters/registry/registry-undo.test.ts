// Undo against a real docker-registry, through the restore port and the undo workflow: a tag the
// snapshot saved is put back byte for byte; after `garbage-collect --delete-untagged` took a list
// whose children were only stored by digest, undo is refused and changes nothing; a tag someone
// else pushed after the step is left alone unless --force; --remove-added deletes what the step
// added where the registry allows deletes, and says why not where it does not. Through the Harbor
// stand-in's /v2 with a project's robot account, the overwritten list kept as an untagged artifact
// is put back and an added tag deleted.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mediaTypes} from '../../../source/domain/registry/manifest.js';
import type {SavedTag, StepSnapshot} from '../../../source/domain/registry/tag-snapshot.js';
import type {UndoOptions} from '../../../source/domain/registry/undo-plan.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import type {RestorePort} from '../../../source/workflow/ports/snapshot-port.js';
import {applyUndo, previewUndo, type UndoDone, type UndoPreview} from '../../../source/workflow/run/undo/undo-step.js';
import {curlManifest, putManifestList, skopeoPush, writeImageArchive} from '../../helpers/registry-fixtures.js';
import {restorePortFor} from '../../helpers/restore-port.js';
import {startHarbor, type TestHarbor} from '../../helpers/harbor.js';
import {startRegistry, type TestRegistry} from '../../helpers/registry.js';

let dir: string;
const started: Array<TestRegistry | TestHarbor> = [];
const ports: RestorePort[] = [];

function portFor(registry: Pick<TestRegistry, 'url' | 'username' | 'password'>): RestorePort {
	const port = restorePortFor(registry);
	ports.push(port);
	return port;
}

function ok<T>(value: T): Exclude<T, {exitCode: number}> {
	expect(isWizardError(value), JSON.stringify(value)).toBe(false);
	return value as Exclude<T, {exitCode: number}>;
}

/** Pushes an amd64 and an arm64 image to `repo:tag` in turn, then the list over them: the children keep no tag. */
async function pushListByDigest(registry: TestRegistry, repository: string, tag: string): Promise<string> {
	const children = [];
	for (const arch of ['amd64', 'arm64']) {
		const archive = await writeImageArchive(dir, {name: `${repository}:${tag}`, arch});
		await skopeoPush(registry, archive.path, `${repository}:${tag}`);
		children.push({manifest: await curlManifest(registry, repository, tag), platform: {architecture: arch, os: 'linux'}});
	}

	return putManifestList(registry, repository, tag, children, mediaTypes.dockerList);
}

async function pushSingle(registry: TestRegistry, repository: string, tag: string, salt: string): Promise<string> {
	const archive = await writeImageArchive(dir, {name: `${repository}:${tag}`, arch: 'amd64', salt});
	await skopeoPush(registry, archive.path, `${repository}:${tag}`);
	return (await curlManifest(registry, repository, tag)).digest;
}

/** The snapshot a run takes before a step, and the digests it adds after it. */
async function snapshotOf(port: RestorePort, targets: Array<{repository: string; tag: string}>): Promise<StepSnapshot> {
	const saved = ok(await port.save(targets));
	const tags: SavedTag[] = targets.map((target, index) => ({...target, before: saved[index]!}));
	return {runId: 'run-test', stepIndex: 0, stepId: 'import-amd64', configPath: '/c.yaml', registry: port.registry, takenAt: 0, tags};
}

async function afterStep(port: RestorePort, snapshot: StepSnapshot): Promise<StepSnapshot> {
	const heads = ok(await port.digests(snapshot.tags));
	return {
		...snapshot,
		tags: snapshot.tags.map((tag, index) => {
			const head = heads[index]!;
			return {...tag, after: head.kind === 'present' ? head.digest : 'absent'};
		}),
	};
}

async function undo(
	port: RestorePort,
	snapshot: StepSnapshot,
	options: Partial<UndoOptions> = {},
): Promise<{preview: UndoPreview; done: UndoDone | ReturnType<typeof ok>}> {
	const preview = ok(await previewUndo(snapshot, port, {force: false, removeAdded: false, ...options}));
	return {preview, done: await applyUndo(preview, port)};
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'addon-wizard-undo-'));
}, 60_000);

afterAll(async () => {
	await Promise.all(ports.map(async port => port.close()));
	await Promise.all(started.map(async registry => registry.stop()));
	await rm(dir, {recursive: true, force: true});
});

describe('undo through the restore port, against a real docker-registry', () => {
	it('puts an overwritten list back byte for byte; after garbage collection took its children, refuses and changes nothing', async () => {
		const registry = await startRegistry();
		started.push(registry);
		const port = portFor(registry);
		const listDigest = await pushListByDigest(registry, 'daocloud/dao-2048', 'v1.4.1');
		const snapshot = await snapshotOf(port, [{repository: 'daocloud/dao-2048', tag: 'v1.4.1'}]);
		expect(snapshot.tags[0]!.before).toMatchObject({digest: listDigest, arches: ['amd64', 'arm64'], mediaType: mediaTypes.dockerList});

		// The <0.12.0 step: an amd64-only image over the list.
		await pushSingle(registry, 'daocloud/dao-2048', 'v1.4.1', 'step');
		const after = await afterStep(port, snapshot);
		const {preview, done} = await undo(port, after);
		expect(preview.tags.map(tag => tag.action)).toEqual(['restore']);
		expect(done).toMatchObject({verified: true, failed: 0});
		expect((await curlManifest(registry, 'daocloud/dao-2048', 'v1.4.1')).digest).toBe(listDigest);

		// The step again, then GC with the registry stopped: the list and its digest-only children go.
		const single = await pushSingle(registry, 'daocloud/dao-2048', 'v1.4.1', 'step again');
		const collected = await registry.collectGarbage();
		expect(collected).toMatch(/manifest eligible for deletion|blob eligible for deletion/);
		// --force: the tag now holds the second push, not what `after` recorded; the content check decides alone.
		const refused = ok(await previewUndo(after, port, {force: true, removeAdded: false}));
		expect(refused.tags[0]).toMatchObject({action: 'content-gone'});
		expect(refused.tags[0]!.missing!.length).toBeGreaterThan(0);
		expect(refused.refusal).toMatchObject({kind: 'undo-content-gone'});
		expect(refused.refusal!.message).toContain('garbage collection removed it. Nothing was changed.');
		expect(refused.refusal!.hint).toContain("integrate the other arch's package of the same version (import -addon");
		expect(await applyUndo(refused, port)).toMatchObject({kind: 'undo-content-gone'});
		expect((await curlManifest(registry, 'daocloud/dao-2048', 'v1.4.1')).digest).toBe(single);
	}, 180_000);

	it('leaves a tag someone else pushed after the step alone, naming it; --force puts it back', async () => {
		const registry = await startRegistry();
		started.push(registry);
		const port = portFor(registry);
		const listDigest = await pushListByDigest(registry, 'bitnami/nginx', '1.25.1');
		const snapshot = await snapshotOf(port, [{repository: 'bitnami/nginx', tag: '1.25.1'}]);
		await pushSingle(registry, 'bitnami/nginx', '1.25.1', 'step');
		const after = await afterStep(port, snapshot);
		const theirs = await pushSingle(registry, 'bitnami/nginx', '1.25.1', 'someone else');

		const left = await undo(port, after);
		expect(left.preview.tags[0]).toMatchObject({action: 'changed-by-someone-else', key: 'bitnami/nginx:1.25.1'});
		expect((await curlManifest(registry, 'bitnami/nginx', '1.25.1')).digest).toBe(theirs);

		const forced = await undo(port, after, {force: true});
		expect(forced.preview.tags[0]).toMatchObject({action: 'restore'});
		expect(forced.done).toMatchObject({verified: true});
		expect((await curlManifest(registry, 'bitnami/nginx', '1.25.1')).digest).toBe(listDigest);
	}, 180_000);

	it('--remove-added deletes a tag the step added where deletes are enabled, and says why not where they are not', async () => {
		for (const deleteEnabled of [true, false]) {
			const registry = await startRegistry({deleteEnabled});
			started.push(registry);
			const port = portFor(registry);
			const snapshot = await snapshotOf(port, [{repository: 'kpanda/new-chart-image', tag: 'v1'}]);
			expect(snapshot.tags[0]!.before).toBe('absent');
			await pushSingle(registry, 'kpanda/new-chart-image', 'v1', 'added');
			const after = await afterStep(port, snapshot);

			const kept = await undo(port, after);
			expect(kept.preview.tags[0]).toMatchObject({action: 'added-by-step'});

			const removed = await undo(port, after, {removeAdded: true});
			expect(removed.preview.tags[0]).toMatchObject({action: 'remove-added'});
			const heads = ok(await port.digests(after.tags));
			if (deleteEnabled) {
				expect(removed.done).toMatchObject({verified: true, tags: [{result: 'removed'}]});
				expect(heads[0]).toEqual({kind: 'absent'});
			} else {
				expect(removed.done).toMatchObject({tags: [{result: 'not-removed'}]});
				expect((removed.done as UndoDone).tags[0]!.detail).toContain('the registry does not allow deletes');
				expect(heads[0]).toMatchObject({kind: 'present'});
			}
		}
	}, 180_000);

	it("through Harbor's /v2 with the project's robot account: the overwritten list, kept untagged, put back; an added tag deleted", async () => {
		const robot = {project: 'daocloud', username: 'robot$daocloud+undo', password: 'R0bot-undo'};
		const harbor = await startHarbor({projects: ['daocloud'], members: [robot]});
		started.push(harbor);
		// The fixtures push and read as a registry client would: through Harbor's address, with the project's own account.
		const asRegistry = {...harbor.backend, url: harbor.url, host: harbor.host, username: robot.username, password: robot.password};
		const port = portFor(asRegistry);
		const listDigest = await pushListByDigest(asRegistry, 'daocloud/dao-2048', 'v1.4.1');
		const targets = [
			{repository: 'daocloud/dao-2048', tag: 'v1.4.1'},
			{repository: 'daocloud/new-image', tag: 'v1'},
		];
		const snapshot = await snapshotOf(port, targets);
		await pushSingle(asRegistry, 'daocloud/dao-2048', 'v1.4.1', 'step');
		await pushSingle(asRegistry, 'daocloud/new-image', 'v1', 'added');
		const after = await afterStep(port, snapshot);

		// As Harbor does, the list the step overwrote stays: an untagged artifact the project's account can read.
		const listed = await fetch(`${harbor.url}/api/v2.0/projects/daocloud/repositories/dao-2048/artifacts?with_tag=true`, {
			headers: {Authorization: `Basic ${Buffer.from(`${robot.username}:${robot.password}`).toString('base64')}`},
		});
		const artifacts = (await listed.json()) as Array<{digest: string; tags: unknown}>;
		expect(artifacts.find(artifact => artifact.digest === listDigest)).toMatchObject({tags: null});

		const {preview, done} = await undo(port, after, {removeAdded: true});
		expect(preview.tags.map(tag => tag.action)).toEqual(['restore', 'remove-added']);
		expect(done).toMatchObject({verified: true, tags: [{result: 'restored'}, {result: 'removed'}]});
		expect((await curlManifest(asRegistry, 'daocloud/dao-2048', 'v1.4.1')).digest).toBe(listDigest);
		expect(listDigest).toBe((snapshot.tags[0]!.before as {digest: string}).digest);
		expect(ok(await port.digests(after.tags))[1]).toEqual({kind: 'absent'});
	}, 180_000);
});
