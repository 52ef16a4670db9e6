// Today's release as an operator meets it (issue 12): a v0.44 release directory of seven files,
// listed and grouped in a real terminal, a release chosen per arch with `a`, planned and run as
// an amd64 four-kind upgrade from a two-entry addonPackage.path list, the list written back with
// its comments. v0.44.9 stands for a release newer than the published table (its checksums are
// not published, so the generated files are not mismatches).
import {existsSync} from 'node:fs';
import {readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseDocument} from 'yaml';
import {cliPath, makeClusterFixture, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {startTmux, type TmuxSession} from '../helpers/tmux.js';

const next = 'v0.44.9';
const previous = 'v0.43.9';
let made: ClusterFixture;
let session: TmuxSession | undefined;

const fileOf = (kind: string, version: string, arch: string) =>
	path.join(made.packagesDir, `${kind}-addon-offline-package-${version}-${arch}.tar.gz`);

beforeAll(async () => {
	expect(existsSync(cliPath), 'run `npm run build` first (npm test does)').toBe(true);
	made = await makeClusterFixture({
		packages: [
			{kind: 'standard', version: previous, arch: 'amd64'},
			{kind: 'standard', version: previous, arch: 'arm64'},
			...['standard', 'gpu', 'metax', 'jenkins'].map(kind => ({kind, version: next, arch: 'amd64'})),
			{kind: 'standard', version: next, arch: 'arm64'},
			{kind: 'gpu', version: next, arch: 'arm64'},
			{kind: 'jenkins', version: next, arch: 'arm64'},
		],
		simulatorEnv: {DCE5_SIM_DELAY_MS: '0'},
	});
	// The cluster has the previous release in both arches, named as a list with the operator's comments.
	const config = await readFile(made.configPath, 'utf8');
	await writeFile(
		made.configPath,
		config.replace(
			/ {2}addonPackage:\n[\s\S]*$/,
			[
				'  addonPackage:',
				'    # the previous release, both arches',
				'    path:',
				`      - "${fileOf('standard', previous, 'amd64')}"   # amd64 first`,
				`      - "${fileOf('standard', previous, 'arm64')}"`,
				'',
			].join('\n'),
		),
	);
});

afterAll(async () => {
	await session?.kill();
	await session?.ended();
	await made.stop();
	await rm(made.root, {recursive: true, force: true});
});

describe(`a ${next} release of seven files`, () => {
	it('is grouped per release and arch, chosen per arch with a, planned as one cluster-create of four kinds plus the arm64 integrations, and run', async () => {
		// No registry under this fixture: the steps are judged by the installer alone, as the screens say.
		session = await startTmux({
			argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, '--no-verify'],
			cwd: made.workdir,
			env: made.env,
			columns: 100,
			rows: 40,
		});
		let screen = await session.waitFor(text => (text.match(/read ok/g) ?? []).length === 9, 60_000);
		expect(screen).toContain(`${next} amd64: standard, gpu, metax, jenkins`);
		// metax is published for amd64 only: it is not "missing" in arm64.
		expect(screen).toContain(`${next} arm64: standard, gpu, jenkins`);
		expect(screen).toContain(`${previous} amd64: standard`);

		// The cursor starts on the newest release's first amd64 file: a takes its four kinds, then the arm64 three.
		await session.sendKeys('a');
		screen = await session.waitFor(`Chose ${next} amd64: standard, gpu, metax, jenkins.`);
		await session.sendKeys('Down', 'Down', 'Down', 'Down', 'a');
		screen = await session.waitFor(`Chose ${next} arm64: standard, gpu, jenkins.`);
		expect((screen.match(/\[✔]/g) ?? []).length).toBe(7);

		await session.sendKeys('Enter');
		screen = await session.waitFor('Pre-flight', 60_000);
		expect(screen.replaceAll(/\n\s*/g, ' ')).toMatch(/Multi-arch upgrade: .*v0\.43\.9/);
		// Review says the list's arm64 entry is dropped from addonPackage.path, and why.
		await session.sendKeys('PageDown', 'PageDown', 'PageDown');
		const reviewText = (await session.waitFor(text => text.includes('addonPackage.path') || text.includes('entry'))).replaceAll(
			/\n\s*/g,
			' ',
		);
		expect(reviewText).toMatch(/standard-addon-offline-package-v0\.43\.9-arm64\.tar\.gz/);

		await session.sendKeys('Enter');
		screen = await session.waitFor('CONFIRM');
		const confirm = screen.replaceAll(/\n\s*/g, ' ');
		expect(confirm).toContain('cluster-create');
		// Warnings (the dropped entry) are repeated and take yes typed out.
		await session.sendKeys('y', 'e', 's', 'Enter');
		screen = await session.waitFor(text => text.includes('RESULT'), 120_000);
		expect(screen).toContain('Done');

		// The list now names the four amd64 kinds of the new release, comments kept.
		const text = await readFile(made.configPath, 'utf8');
		const paths = parseDocument(text).getIn(['spec', 'addonPackage', 'path']) as {toJSON(): string[]};
		expect(paths.toJSON().sort()).toEqual(['gpu', 'jenkins', 'metax', 'standard'].map(kind => fileOf(kind, next, 'amd64')).sort());
		expect(text).toContain('# the previous release, both arches');
	}, 240_000);
});
