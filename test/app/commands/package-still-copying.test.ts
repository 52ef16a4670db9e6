// A package still being copied (a real writer holds it open and appends slowly) is "still being
// copied" in list, inspect and plan, with how far it has got, never "damaged"; once the writer
// finishes and closes it, the same commands read it as the whole package it now is.
import {rename, rm} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runInspectCommand, runListCommand} from '../../../source/app/commands/list-command.js';
import {runPlanCommand} from '../../../source/app/commands/plan-command.js';
import type {Services} from '../../../source/app/commands/services.js';
import type {Options} from '../../../source/app/options.js';
import {inspectionDocumentSchema} from '../../../source/report/contract/inspection.js';
import {packageListDocumentSchema} from '../../../source/report/contract/package-list.js';
import {planDocumentSchema} from '../../../source/report/contract/plan.js';
import {makeClusterFixture, type ClusterFixture} from '../../helpers/cluster-fixture.js';
import {servicesFor} from '../../helpers/services.js';
import {startSlowCopy, type SlowCopy} from '../../helpers/slow-copy.js';

type Command = (options: Options, services: Services) => Promise<number>;

describe('a package some process is still writing', () => {
	let fixture: ClusterFixture;
	let copy: SlowCopy;
	let target: string;

	const run = async (command: Command, argv: string[]) => {
		const {options, services, output} = servicesFor(argv, {cwd: fixture.workdir, env: fixture.env});
		return {code: await command(options, services), ...output};
	};

	const list = async (json = true) => run(runListCommand, ['list', '--search', fixture.packagesDir, ...(json ? ['--json'] : [])]);
	const inspect = async (json = true) => run(runInspectCommand, ['inspect', '-p', target, ...(json ? ['--json'] : [])]);
	const plan = async () => run(runPlanCommand, ['plan', '--json', '-c', fixture.configPath, '-p', target]);

	beforeAll(async () => {
		fixture = await makeClusterFixture({packages: [{version: 'v0.9.5', arch: 'amd64'}], imagesAndCharts: 'official-service'});
		const built = fixture.packages[0]!;
		target = built.path;
		const source = path.join(fixture.root, built.fileName);
		await rename(target, source);
		copy = await startSlowCopy(source, target, path.join(fixture.root, 'gate'));
	});

	afterAll(async () => {
		copy?.stop();
		await rm(fixture.root, {recursive: true, force: true});
	});

	it('list says it is still being copied, with the bytes so far and the writer', async () => {
		const text = await list(false);
		expect(text.stdout).toMatch(/^STILL BEING COPIED .*addon-offline-full-package-v0\.9\.5-amd64\.tar\.gz {2}[\d.]+ KB so far/m);
		expect(text.stdout).toContain(`(pid ${copy.child.pid}) is writing it`);
		expect(text.stdout).not.toMatch(/damaged|truncated|copy the whole file again/i);

		const document = packageListDocumentSchema.parse(JSON.parse((await list()).stdout));
		const item = document.packages.find(candidate => candidate.path === target);
		expect(item).toMatchObject({status: 'incomplete', copying: {writers: [{pid: copy.child.pid}]}});
		expect(item!.copying!.bytesSoFar).toBeGreaterThan(0);
		expect(item!.findings.map(finding => finding.id)).toEqual(['still-copying']);
		expect(item!.findings[0]!.hint).toMatch(/Wait for the copy to finish/);
	});

	it('inspect blocks with "still being copied" and the size so far, not "damaged"', async () => {
		const text = await inspect(false);
		expect(text.code).toBe(3);
		expect(text.stdout).toContain('STILL BEING COPIED');
		expect(text.stdout).toMatch(/Still being copied: [\d.]+ KB so far/);
		expect(text.stdout).not.toMatch(/damaged|truncated|corrupt/i);

		const document = inspectionDocumentSchema.parse(JSON.parse((await inspect()).stdout));
		const [item] = document.packages;
		expect(item!.integrity.state).toBe('unknown');
		expect(item!.copying?.bytesSoFar).toBeGreaterThan(0);
		expect(item!.findings.map(finding => finding.id)).toEqual(['still-copying']);
	});

	it('plan blocks with the next step: wait for the copy to finish', async () => {
		const result = await plan();
		const document = planDocumentSchema.parse(JSON.parse(result.stdout));
		expect(result.code).toBe(3);
		expect(document.blocked).toBe(true);
		const said = JSON.stringify(document);
		expect(said).toMatch(/Still being copied: [\d.]+ KB so far/);
		expect(said).toContain('Wait for the copy to finish');
		expect(said).not.toMatch(/damaged|truncated|corrupt/i);
	});

	it('once the writer finishes and closes it, all three read it whole', async () => {
		await copy.finish();
		const listed = packageListDocumentSchema.parse(JSON.parse((await list()).stdout)).packages.find(item => item.path === target);
		expect(listed).toMatchObject({status: 'candidate', size: fixture.packages[0]!.size});
		expect(listed!.copying).toBeUndefined();

		const inspected = await inspect();
		expect(inspected.code).toBe(0);
		const [item] = inspectionDocumentSchema.parse(JSON.parse(inspected.stdout)).packages;
		expect(item).toMatchObject({complete: true, sha512: fixture.packages[0]!.sha512});
		expect(item!.copying).toBeUndefined();

		const planned = await plan();
		expect(planned.code).toBe(0);
		expect(planDocumentSchema.parse(JSON.parse(planned.stdout)).blocked).toBe(false);
	});
});
