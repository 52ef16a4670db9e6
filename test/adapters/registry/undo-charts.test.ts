// Undo of the chart versions a step uploaded, against the ChartMuseum stand-in: the snapshot says
// which versions the repository lacked before the step; undo lists them, and --remove-added deletes
// them through `DELETE /api/charts/NAME/VERSION` while a version that was there before stays. With
// ChartMuseum's --disable-delete, undo says it could not delete them and why.
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {create as createTar} from 'tar';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createRestorePort} from '../../../source/adapters/registry/registry-snapshot.js';
import {locateRegistry} from '../../../source/domain/registry/location.js';
import type {StepSnapshot} from '../../../source/domain/registry/tag-snapshot.js';
import {isWizardError} from '../../../source/domain/shared/wizard-error.js';
import {undoDoneText, undoPreviewText} from '../../../source/report/run/undo-text.js';
import type {RestorePort} from '../../../source/workflow/ports/snapshot-port.js';
import {applyUndo, previewUndo, type UndoDone} from '../../../source/workflow/run/undo/undo-step.js';
import {startChartRepo, type TestChartRepo} from '../../helpers/chart-repo.js';

let scratch: string;
const started: TestChartRepo[] = [];
const ports: RestorePort[] = [];

beforeAll(async () => {
	scratch = await mkdtemp(path.join(tmpdir(), 'addon-wizard-undo-charts-'));
});

afterAll(async () => {
	await Promise.all(ports.map(async port => port.close()));
	await Promise.all(started.map(async repo => repo.stop()));
	await rm(scratch, {recursive: true, force: true});
});

async function upload(repo: TestChartRepo, name: string, version: string): Promise<void> {
	const dir = path.join(scratch, `${repo.port}-${name}-${version}`, name);
	await mkdir(dir, {recursive: true});
	await writeFile(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
	const file = `${dir}.tgz`;
	await createTar({file, gzip: true, cwd: path.dirname(dir), portable: true}, [name]);
	const response = await fetch(`${repo.url}/api/charts`, {
		method: 'POST',
		body: await readFile(file),
		headers: {authorization: `Basic ${Buffer.from(`${repo.username}:${repo.password}`).toString('base64')}`},
	});
	expect(response.status).toBe(201);
}

async function versions(repo: TestChartRepo, name: string): Promise<string[]> {
	const response = await fetch(`${repo.url}/api/charts/${name}`, {
		headers: {authorization: `Basic ${Buffer.from(`${repo.username}:${repo.password}`).toString('base64')}`},
	});
	return response.status === 200 ? ((await response.json()) as Array<{version: string}>).map(item => item.version).sort() : [];
}

function portFor(repo: TestChartRepo): RestorePort {
	const located = locateRegistry({
		document: undefined,
		// No tag is undone here: the registry is never asked.
		flags: {registry: 'http://127.0.0.1:1', chartRepo: repo.url},
		env: {chartUser: repo.username, chartPassword: repo.password},
	});
	if (isWizardError(located)) {
		throw new Error(located.message);
	}

	const port = createRestorePort({location: located.location, secrets: located.secrets});
	ports.push(port);
	return port;
}

/** The step's snapshot: insight 0.9.0 was in the repository before it, 0.10.0 was not. */
const snapshot: StepSnapshot = {
	runId: 'run-test',
	stepIndex: 0,
	stepId: 'import-amd64',
	configPath: '/c.yaml',
	registry: 'http://127.0.0.1:1',
	takenAt: 0,
	tags: [],
	charts: [
		{name: 'insight', version: '0.9.0', existedBefore: true},
		{name: 'insight', version: '0.10.0', existedBefore: false},
	],
};

describe('undo of the chart versions a step uploaded (ChartMuseum stand-in)', () => {
	it('lists the uploaded version; --remove-added deletes it and keeps the one that was there before', async () => {
		const repo = await startChartRepo();
		started.push(repo);
		await upload(repo, 'insight', '0.9.0');
		await upload(repo, 'insight', '0.10.0');
		const port = portFor(repo);

		const listed = await previewUndo(snapshot, port, {force: false, removeAdded: false});
		if (isWizardError(listed)) throw new Error(listed.message);
		expect(undoPreviewText(listed)).toContain('insight-0.10.0: the step uploaded it (--remove-added deletes it)');
		expect(undoPreviewText(listed)).not.toContain('0.9.0');
		const kept = (await applyUndo(listed, port)) as UndoDone;
		expect(kept.charts).toEqual([{name: 'insight', version: '0.10.0', result: 'left'}]);
		expect(await versions(repo, 'insight')).toEqual(['0.10.0', '0.9.0']);

		const preview = await previewUndo(snapshot, port, {force: false, removeAdded: true});
		if (isWizardError(preview)) throw new Error(preview.message);
		const done = (await applyUndo(preview, port)) as UndoDone;
		expect(done.charts).toEqual([{name: 'insight', version: '0.10.0', result: 'removed'}]);
		expect(undoDoneText(done)).toContain('deleted: chart insight-0.10.0');
		// Nothing to put back: the verdict names what was deleted, never "0 tags hold …".
		expect(undoDoneText(done)).toContain('✔ Verified: 1 chart version the step uploaded deleted.');
		expect(await versions(repo, 'insight')).toEqual(['0.9.0']);
	}, 60_000);

	it('says it could not delete where the chart repository does not allow deletes, and what to do', async () => {
		const repo = await startChartRepo({disableDelete: true});
		started.push(repo);
		await upload(repo, 'insight', '0.10.0');
		const port = portFor(repo);
		const preview = await previewUndo(snapshot, port, {force: false, removeAdded: true});
		if (isWizardError(preview)) throw new Error(preview.message);
		const done = (await applyUndo(preview, port)) as UndoDone;
		expect(done.charts).toEqual([
			{name: 'insight', version: '0.10.0', result: 'not-removed', detail: 'the chart repository does not allow deletes here (HTTP 404)'},
		]);
		expect(undoDoneText(done)).toContain('1 chart version the step uploaded not deleted: delete them in the chart repository by hand');
		expect(await versions(repo, 'insight')).toEqual(['0.10.0']);
	}, 60_000);
});
