// Packages that are damaged or hostile inside, while their gzip and outer tar are fine: a broken
// images.tar, entries the installer must not unpack, a YAML alias bomb. Each is blocked with a
// finding that names the entry, and none is "read end to end without error" or "confirmed".
import {randomBytes} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {inspectPackage} from '../../../source/adapters/packages/inspect-package.js';
import type {PackageInspection} from '../../../source/domain/packages/inspection.js';
import {list as tarList} from 'tar';
import {buildPackage, type FixtureChart, type ImagesDamage} from '../../helpers/build-package.js';

/** One entry's bytes from a .tar.gz, read with the `tar` package (a reader the wizard does not use). */
async function bundleBytes(file: string, entry: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	await tarList({
		file,
		filter: name => name === entry,
		onReadEntry(read) {
			read.on('data', (chunk: Buffer) => chunks.push(chunk));
		},
	});
	return Buffer.concat(chunks);
}

const codes = (inspection: PackageInspection) => inspection.findings.map(finding => finding.code);
const finding = (inspection: PackageInspection, code: string) => inspection.findings.find(item => item.code === code);

describe('inspectPackage on damaged or hostile contents', () => {
	let dir = '';
	let count = 0;
	const build = async (charts: FixtureChart[], extra: Parameters<typeof buildPackage>[0] extends infer O ? Partial<O> : never = {}) =>
		buildPackage({dir: path.join(dir, `p${count++}`), arch: 'arm64', charts, ...extra});
	const inspect = async (file: string) => inspectPackage(file, {useCache: false});
	const chart = (name: string, extra: Partial<FixtureChart> = {}): FixtureChart => ({
		name,
		version: '1.0.0',
		repo: 'addon',
		images: [{ref: `release.daocloud.io/x/${name}:1`}],
		...extra,
	});

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'inspect-damaged-'));
	});

	afterAll(async () => rm(dir, {recursive: true, force: true}));

	const damages: Array<[ImagesDamage, RegExp]> = [
		['manifest-not-json', /manifest\.json is not JSON/],
		['no-manifest', /holds no manifest\.json/],
		['config-missing', /config sha256:[\da-f]{64} of release\.daocloud\.io\/x\/broken:1 is missing/],
		['layer-missing', /layer [\da-f]{64}\.tar\.gz of release\.daocloud\.io\/x\/broken:1 is missing/],
		['config-not-matching-name', /does not match its name/],
	];

	for (const [damage, wording] of damages) {
		it(`blocks a package whose images.tar is damaged (${damage}), naming the bundle and what`, async () => {
			const built = await build([chart('fine'), chart('broken', {imagesDamage: damage})]);
			const result = await inspect(built.path);
			const found = finding(result, 'images-damaged');
			expect(found?.severity).toBe('error');
			expect(found?.message).toContain('addon-offline-package/addon/broken-1.0.0.bundle.tar › images.tar');
			expect(found?.message).toMatch(wording);
			expect(found?.hint).toBeTruthy();
			expect(result.complete).toBe(false);
			expect(result.integrity.state).toBe('damaged');
			expect(codes(result)).not.toContain('checksum-unknown');
			expect(result.arch.confirmedByContents).toBe(false);
			// The undamaged bundle is still read: its image is there, the broken one's is not.
			expect(result.images.map(image => image.ref)).toEqual(['release.daocloud.io/x/fine:1']);
		});
	}

	it('reads a sound package as complete, confirmed by contents, with the config digest of each image', async () => {
		const built = await build([chart('one'), chart('two')]);
		const result = await inspect(built.path);
		expect(result.complete).toBe(true);
		expect(result.arch).toMatchObject({agreed: 'arm64', confirmedByContents: true});
		for (const image of result.images) {
			expect(image.configDigest).toMatch(/^sha256:[\da-f]{64}$/);
			expect(image.layerDigests).toEqual([expect.stringMatching(/^sha256:[\da-f]{64}$/)]);
			expect(image.layerSizes).toHaveLength(1);
			expect(image.layerSizes![0]).toBeGreaterThan(0);
		}

		expect(new Set(result.images.map(image => image.configDigest)).size).toBe(2);
	});

	it('does not confirm an arch by contents when no image config gave one', async () => {
		const built = await build([{name: 'no-images', version: '1.0.0', images: []}]);
		const result = await inspect(built.path);
		expect(result.complete).toBe(true);
		expect(result.arch).toMatchObject({agreed: 'arm64', fromImages: [], confirmedByContents: false});
	});

	it('flags entries of the package the installer would unpack outside its folder, as links or devices, naming a few and counting all', async () => {
		const built = await build([chart('fine')], {
			extraEntries: [
				{name: '../../etc/passwd', data: 'root::0:0::/root:/bin/sh\n'},
				{name: '/etc/cron.d/evil', data: '* * * * * root true\n'},
				{name: 'addon-offline-package/hard', type: 'hardlink', linkName: '/etc/shadow'},
				{name: 'addon-offline-package/escape', type: 'symlink', linkName: '../../../root/.ssh'},
				{name: 'addon-offline-package/null', type: 'char-device'},
				{name: 'addon-offline-package/fifo', type: 'fifo'},
				{name: 'addon-offline-package/inside', type: 'symlink', linkName: 'addon/fine-1.0.0.bundle.tar'},
			],
		});
		const result = await inspect(built.path);
		const unsafe = finding(result, 'unsafe-entries');
		expect(unsafe?.severity).toBe('error');
		expect(unsafe?.message).toMatch(/^6 entries /);
		expect(unsafe?.message).toContain('../../etc/passwd (leaves the folder)');
		expect(unsafe?.message).toContain('/etc/cron.d/evil (absolute path)');
		expect(unsafe?.message).toContain('addon-offline-package/hard (hard link to /etc/shadow)');
		expect(unsafe?.message).toContain('and 3 more');
		expect(unsafe?.message).not.toContain('inside');
		expect(unsafe?.details).toMatchObject({count: 6});
		expect(unsafe?.hint).toBeTruthy();
	});

	it('counts a bundle that appears twice once, as tar would unpack it, and flags the package', async () => {
		// The bundle bytes of a sound package, appended again under the same path with other images.
		const donor = await build([chart('fine', {images: [{ref: 'release.daocloud.io/x/other:2'}]})]);
		const bundle = await bundleBytes(donor.path, 'addon-offline-package/addon/fine-1.0.0.bundle.tar');
		const built = await build([chart('fine'), chart('second')], {
			extraEntries: [{name: 'addon-offline-package/addon/fine-1.0.0.bundle.tar', data: bundle}],
		});
		const result = await inspect(built.path);
		expect(result.charts.map(item => item.name).sort()).toEqual(['fine', 'second']);
		// The later copy is the one the installer would find on disk.
		expect(result.images.map(image => image.ref).sort()).toEqual(['release.daocloud.io/x/other:2', 'release.daocloud.io/x/second:1']);
		expect(finding(result, 'entry-damaged')?.message).toContain(
			'addon-offline-package/addon/fine-1.0.0.bundle.tar: appears twice in the package (tar keeps the last one; counted once)',
		);
		expect(finding(result, 'entry-damaged')?.severity).toBe('error');
	});

	it('flags the same inside a chart bundle, which the installer unpacks too', async () => {
		const built = await build([
			chart('sly', {
				extraEntries: [
					{name: 'original-chart/../../../../tmp/x', data: 'x'},
					{name: 'link', type: 'symlink', linkName: '/etc'},
					{name: 'dev', type: 'block-device'},
				],
			}),
		]);
		const result = await inspect(built.path);
		const unsafe = finding(result, 'unsafe-entries');
		expect(unsafe?.message).toMatch(/^3 entries /);
		expect(unsafe?.message).toContain(
			'addon-offline-package/addon/sly-1.0.0.bundle.tar › original-chart/../../../../tmp/x (leaves the folder)',
		);
		expect(unsafe?.message).toContain('sly-1.0.0.bundle.tar › link (symlink to /etc, outside the package)');
		expect(unsafe?.message).toContain('sly-1.0.0.bundle.tar › dev (block device)');
	});

	it('does not flag a package of plain files, folders and inside symlinks', async () => {
		const built = await build([
			chart('fine', {extraEntries: [{name: 'original-chart/fine/current', type: 'symlink', linkName: 'values.yaml'}]}),
		]);
		expect(codes(await inspect(built.path))).not.toContain('unsafe-entries');
	});

	it('names a chart text past its cap, and a chart .tgz that does not inflate, and blocks the package', async () => {
		const built = await build([
			chart('huge', {valuesYaml: `big: "${'x'.repeat(9 * 1024 * 1024)}"\n`}),
			chart('garbled', {chartArchive: Buffer.from('this is not gzip at all')}),
		]);
		const result = await inspect(built.path);
		expect(finding(result, 'entry-over-cap')?.message).toContain(
			'addon-offline-package/addon/huge-1.0.0.bundle.tar › original-chart/huge/values.yaml: 9437192 bytes, past the 8 MiB cap for a chart text',
		);
		expect(finding(result, 'entry-damaged')?.message).toContain(
			'addon-offline-package/addon/garbled-1.0.0.bundle.tar › original-chart/garbled-1.0.0.tgz: not a readable chart archive (incorrect header check)',
		);
		expect(result.complete).toBe(false);
		expect(result.integrity.state).toBe('damaged');
	});

	it('reads Chart.yaml and values.yaml from a packaged chart .tgz, inflated as it streams past', async () => {
		const built = await build([chart('packed', {version: '2.3.4', packChart: true, hintOnlyImages: ['docker.m.daocloud.io/x/sidecar:1']})]);
		const result = await inspect(built.path);
		expect(result.complete).toBe(true);
		expect(result.charts.map(item => [item.name, item.version])).toEqual([['packed', '2.3.4']]);
		expect(result.charts[0]!.hintedImages).toEqual(['release.daocloud.io/x/packed:1', 'docker.m.daocloud.io/x/sidecar:1']);
		expect(result.charts[0]!.spaces).toEqual(['docker.m.daocloud.io', 'release.daocloud.io']);
	});

	it('reads a packaged chart .tgz of several MB whole, though the outer gunzip reuses its buffer at once', async () => {
		// Incompressible values make the .tgz span many of the outer gunzip's output pieces, which
		// the nested gunzip (on zlib's threads) must have taken before the next piece is inflated.
		const noise = randomBytes(3 * 1024 * 1024).toString('base64');
		const built = await build([
			chart('packed', {version: '2.3.4', packChart: true, valuesYaml: `noise: ${noise}\nimage: docker.m.daocloud.io/x/sidecar:1\n`}),
			chart('after', {valuesYaml: `noise: ${noise.slice(0, 1024 * 1024)}\n`}),
		]);
		const result = await inspect(built.path);
		expect(result.findings.filter(item => item.severity === 'error')).toEqual([]);
		expect(result.complete).toBe(true);
		expect(result.charts.map(item => [item.name, item.version]).sort()).toEqual([
			['after', '1.0.0'],
			['packed', '2.3.4'],
		]);
	});

	it("stops an alias bomb in a chart's values.yaml and says which chart's hints could not be read", async () => {
		const bomb = [
			'a: &a ["x","x","x","x","x","x","x","x","x"]',
			...Array.from({length: 9}, (_, level) => {
				const name = String.fromCodePoint(98 + level);
				const previous = String.fromCodePoint(97 + level);
				return `${name}: &${name} [${Array.from({length: 9}, () => `*${previous}`).join(',')}]`;
			}),
		].join('\n');
		const built = await build([chart('laughs', {valuesYaml: `${bomb}\n`})]);
		const started = Date.now();
		const result = await inspect(built.path);
		expect(Date.now() - started).toBeLessThan(5000);
		const unreadable = finding(result, 'hints-unreadable');
		expect(unreadable?.severity).toBe('warning');
		expect(unreadable?.message).toContain('addon-offline-package/addon/laughs-1.0.0.bundle.tar (values.yaml: too many YAML aliases');
		expect(result.charts[0]!.hintedImages).toEqual([]);
		// The images themselves are still read from images.tar.
		expect(result.images.map(image => image.ref)).toEqual(['release.daocloud.io/x/laughs:1']);
	});
});
