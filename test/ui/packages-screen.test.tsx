// The Packages screen on a fake outside world: what was found, how far reading has got, and
// which packages can be chosen, driven with the keys a user presses.
import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import type {DiscoveredPackage, PackageInspection} from '../../source/domain/packages/inspection.js';
import {full, makeInspection, standard} from '../domain/packages/make-inspection.js';
import {parsePackageName} from '../../source/domain/packages/package-name.js';
import {
	createFakePorts,
	discoveredFrom,
	frameLines,
	keys,
	onPackages,
	renderWizard,
	unwrap,
	type WizardHarness,
} from '../helpers/fake-ports.js';
import {settleKeys} from '../helpers/settle-keys.js';

afterEach(() => {
	cleanup();
});

const amd = {...full('v0.11.0', 'amd64'), size: 24_230_000_000};
const arm = {...full('v0.11.0', 'arm64'), size: 23_100_000_000};
const std = {...standard('v0.18.0', 'amd64'), size: 9_870_000_000};
const found = [amd, arm, std].map(item => discoveredFrom(item));

/** As discovery reports a download in progress: named after the file it will become. */
const partial: DiscoveredPackage = {
	path: '/srv/packages/addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
	fileName: 'addon-offline-full-package-v0.12.0-amd64.tar.gz.part',
	name: parsePackageName('addon-offline-full-package-v0.12.0-amd64.tar.gz'),
	size: 5_000_000_000,
	mtimeMs: 0,
	status: 'incomplete',
	findings: [
		{
			code: 'incomplete-download',
			severity: 'warning',
			message: 'Still downloading or interrupted (.part).',
			hint: 'Wait for the download to finish.',
		},
	],
};

const unnamed: DiscoveredPackage = {
	path: '/srv/packages/addon-offline-full-package-latest-build.tar.gz',
	fileName: 'addon-offline-full-package-latest-build.tar.gz',
	size: 24_000_000_000,
	mtimeMs: 0,
	status: 'incomplete',
	findings: [
		{
			code: 'name-unrecognised',
			severity: 'warning',
			message: 'Looks like an addon package but the name does not say its version and arch.',
			hint: 'Rename it.',
		},
	],
};

/** The list row of the package whose version and arch are given. */
function rowOf(frame: string, version: string, arch: string): string {
	const row = frameLines(frame).find(line => line.includes(version) && line.includes(arch) && /\[.\]|\[ \]/.test(line));
	if (!row) {
		throw new Error(`No row for ${version} ${arch} in:\n${frame}`);
	}

	return row;
}

const chosen = (frame: string, version: string, arch: string) => rowOf(frame, version, arch).includes('[✔]');
const pointed = (frame: string, version: string, arch: string) => rowOf(frame, version, arch).startsWith('›');

async function listed(harness: WizardHarness): Promise<void> {
	await harness.waitForFrame('Offline packages (3 found');
}

describe('Packages: what was found', () => {
	it('says it is looking until the search answers, then lists version, kind, arch and size of each package', async () => {
		const ports = createFakePorts();
		const harness = renderWizard({ports});
		await harness.waitForFrame('Looking for offline packages');

		(await ports.discover.nth(0)).resolve(found);
		const frame = await harness.waitForFrame('Offline packages (3 found, 3 still being read)');

		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/^› \[ \] v0\.11\.0\s+full\s+amd64\s+24\.2 GB\s+/);
		expect(rowOf(frame, 'v0.11.0', 'arm64')).toMatch(/^ {2}\[ \] v0\.11\.0\s+full\s+arm64\s+23\.1 GB\s+waiting to be read$/);
		expect(rowOf(frame, 'v0.18.0', 'amd64')).toMatch(/^ {2}\[ \] v0\.18\.0\s+standard\s+amd64\s+9\.87 GB\s+waiting to be read$/);
		expect(frame).toContain(amd.path);
	});

	it('shows a reading bar that fills as the package is read, then what reading found', async () => {
		const ports = createFakePorts({packages: found});
		const harness = renderWizard({ports});
		const reading = await ports.inspect.nth(0);
		expect(reading.args.path).toBe(amd.path);

		ports.progress(reading, 40, 100);
		let frame = await harness.waitForFrame('40%');
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/reading ████░░░░░░ 40%$/);

		ports.progress(reading, 90, 100);
		frame = await harness.waitForFrame('90%');
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/reading █████████░ 90%$/);

		reading.resolve({...amd, integrity: {state: 'verified'}, arch: {...amd.arch, confirmedByContents: true}} satisfies PackageInspection);
		frame = await harness.waitForFrame('2 still being read');
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/amd64 ✔\s+24\.2 GB\s+✔ checksum verified$/);
		expect(frame).toContain('0 charts, 0 images, 20.0 KB unpacked');
		expect((await ports.inspect.nth(1)).args.path).toBe(arm.path);
	});

	it('never puts ✔ beside an arch that no image config confirmed (a package read without images)', async () => {
		const ports = createFakePorts({
			packages: [discoveredFrom(amd)],
			inspections: [{...amd, arch: {...amd.arch, confirmedByContents: false}}],
		});
		const harness = renderWizard({ports});
		const frame = await harness.waitForFrame('read ok');
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/amd64 \?\s+24\.2 GB/);
		expect(rowOf(frame, 'v0.11.0', 'amd64')).not.toContain('amd64 ✔');
	});

	it('marks the package the cluster has now, in its row where the width allows and under the list', async () => {
		const ports = createFakePorts({
			packages: [discoveredFrom(amd), discoveredFrom(arm, {inCluster: true}), discoveredFrom(std)],
			inspections: [amd, arm, std],
		});
		const harness = renderWizard({ports});
		await harness.waitForFrame(frame => frame.includes('Offline packages (3 found)'));
		let frame = await harness.pressAndWait('j', current => pointed(current, 'v0.11.0', 'arm64'));
		expect(rowOf(frame, 'v0.11.0', 'arm64')).toMatch(/read ok, no checksum · in cluster$/);
		expect(rowOf(frame, 'v0.11.0', 'amd64')).not.toContain('in cluster');
		expect(frameLines(frame)).toContain('In the cluster now: clusterConfig.yaml names this package.');
		frame = await harness.pressAndWait('j', current => pointed(current, 'v0.18.0', 'amd64'));
		expect(frame).not.toContain('In the cluster now');
	});

	it('says when the search failed, and when it found nothing', async () => {
		const failing = createFakePorts();
		const harness = renderWizard({ports: failing});
		(await failing.discover.nth(0)).reject(new Error('EACCES: permission denied, scandir /srv/packages'));
		await harness.waitForFrame('Could not search for packages: EACCES: permission denied, scandir /srv/packages');
		cleanup();

		const empty = renderWizard({ports: createFakePorts({packages: []})});
		const frame = await empty.waitForFrame('No offline packages found.');
		expect(frame).toContain('--package FILE');
		expect(frame).not.toContain('space select');
	});
});

describe('Packages: moving and choosing while packages are still read', () => {
	it('moves and toggles while the first package is being read, and reads the chosen one next', async () => {
		const ports = createFakePorts({packages: found});
		const harness = renderWizard({ports});
		const reading = await ports.inspect.nth(0);
		ports.progress(reading, 30, 100);
		await harness.waitForFrame('30%');

		let frame = await harness.pressAndWait('j', current => pointed(current, 'v0.11.0', 'arm64'));
		frame = await harness.pressAndWait('j', current => pointed(current, 'v0.18.0', 'amd64'));
		frame = await harness.pressAndWait(' ', current => chosen(current, 'v0.18.0', 'amd64'));
		expect(chosen(frame, 'v0.11.0', 'amd64')).toBe(false);
		expect(chosen(frame, 'v0.11.0', 'arm64')).toBe(false);
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toContain('reading ███░░░░░░░ 30%');

		ports.progress(reading, 60, 100);
		frame = await harness.waitForFrame('60%');
		expect(chosen(frame, 'v0.18.0', 'amd64')).toBe(true);

		frame = await harness.pressAndWait(' ', current => !chosen(current, 'v0.18.0', 'amd64'));
		await harness.pressAndWait(' ', current => chosen(current, 'v0.18.0', 'amd64'));

		reading.resolve(amd);
		expect((await ports.inspect.nth(1)).args.path).toBe(std.path);
	});

	it('lands each key of a burst written at once: arrows as escape sequences and plain letters', async () => {
		const harness = renderWizard({ports: createFakePorts({packages: found})});
		await listed(harness);

		let frame = await harness.pressAndWait(`${keys.down}${keys.down} `, current => chosen(current, 'v0.18.0', 'amd64'));
		expect(pointed(frame, 'v0.18.0', 'amd64')).toBe(true);
		expect(chosen(frame, 'v0.11.0', 'amd64')).toBe(false);
		expect(chosen(frame, 'v0.11.0', 'arm64')).toBe(false);

		frame = await harness.pressAndWait('kk ', current => chosen(current, 'v0.11.0', 'amd64'));
		expect(pointed(frame, 'v0.11.0', 'amd64')).toBe(true);
		expect(chosen(frame, 'v0.18.0', 'amd64')).toBe(true);

		frame = await harness.pressAndWait('jj ', current => !chosen(current, 'v0.18.0', 'amd64'));
		expect(pointed(frame, 'v0.18.0', 'amd64')).toBe(true);
		expect(chosen(frame, 'v0.11.0', 'amd64')).toBe(true);
		expect(chosen(frame, 'v0.11.0', 'arm64')).toBe(false);
	});
});

describe('Packages: what cannot be imported', () => {
	it('marks a damaged package, says why when the cursor is on it, and refuses to choose it', async () => {
		const damaged: PackageInspection = {...amd, complete: false, integrity: {state: 'damaged'}};
		const harness = await onPackages({fake: {packages: [discoveredFrom(amd), discoveredFrom(arm)], inspections: [damaged, arm]}});

		let frame = harness.frame();
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/damaged$/);
		expect(frame).toContain('Not offered: The package is damaged (truncated or corrupt).');

		frame = await harness.pressAndWait(' ', 'cannot be imported');
		expect(unwrap(frame)).toContain(`${amd.fileName} cannot be imported: The package is damaged (truncated or corrupt).`);
		expect(chosen(frame, 'v0.11.0', 'amd64')).toBe(false);

		frame = await harness.pressAndWait(keys.enter, 'cannot be imported');
		expect(frame).toContain('PACKAGES');
		await settleKeys(harness);
		expect(harness.ports.plans.count).toBe(0);
	});

	it('marks a package with a checksum mismatch and gives the finding as the reason', async () => {
		const mismatch: PackageInspection = {
			...amd,
			integrity: {state: 'mismatch'},
			findings: [
				{code: 'checksum-mismatch', severity: 'error', message: 'sha512 differs from the published checksum.', hint: 'Download it again.'},
			],
		};
		const harness = await onPackages({fake: {packages: [discoveredFrom(amd)], inspections: [mismatch]}});

		const frame = harness.frame();
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/✘ checksum MISMATCH$/);
		expect(frame).toContain('Not offered: sha512 differs from the published checksum.');
		expect(chosen(await harness.pressAndWait(' ', 'cannot be imported'), 'v0.11.0', 'amd64')).toBe(false);
	});

	it("in 60×20 keeps the file name whole and the reason's start, and says where to read the rest: Packages does not scroll", async () => {
		const deep = {...amd, path: `/srv/${'nested/'.repeat(6)}${amd.fileName}`};
		const mismatch: PackageInspection = {
			...deep,
			integrity: {state: 'mismatch'},
			findings: [
				{
					code: 'checksum-mismatch',
					severity: 'error',
					message: `${amd.fileName}: sha512 differs from the value published for v0.11.0 full amd64: expected ${'0a1b2c3d'.repeat(16)}, got ${'9f8e7d6c'.repeat(2)}…. ${'It was copied from a mirror that rewrote it. '.repeat(3)}`,
					hint: 'Download it again.',
				},
			],
		};
		const harness = await onPackages({
			columns: 60,
			rows: 20,
			fake: {packages: [discoveredFrom(deep), discoveredFrom(arm), discoveredFrom(std)], inspections: [mismatch, arm, std]},
		});
		const lines = frameLines(harness.frame());
		expect(lines.length).toBeLessThanOrEqual(19);
		expect(lines.every(line => [...line].length <= 60)).toBe(true);
		expect(lines.find(line => line.startsWith('/srv/nested') && line.endsWith(`…/${amd.fileName}`))).toBeDefined();
		expect(unwrap(harness.frame())).toContain(`Not offered: ${amd.fileName}: sha512 differs from the value published`);
		expect(unwrap(harness.frame())).toContain('… the rest: addon-wizard inspect -p on this file, or a taller terminal');
		// The kind's description gave way first; and nothing offers a scroll that up and down do not do here.
		expect(harness.frame()).not.toContain('every addon chart');
		expect(harness.frame()).not.toContain('to scroll');
		expect(lines.at(-1)).toBe('space select · a release · enter continue · ? help · q quit');
	});

	it('measures a path in terminal columns: a folder named in Chinese gives way, the file name stays whole', async () => {
		const wide = {...amd, path: `/srv/${'离线安装包/'.repeat(4)}${amd.fileName}`};
		const harness = await onPackages({columns: 60, rows: 20, fake: {packages: [discoveredFrom(wide)], inspections: [wide]}});
		const line = frameLines(harness.frame()).find(row => row.endsWith(`…/${amd.fileName}`));
		expect(line?.startsWith('/srv/离线')).toBe(true);
		expect(stringWidth(line!)).toBeLessThanOrEqual(60);
	});

	it('lists an incomplete download without reading it, says why, and refuses to choose it', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(arm), partial], inspections: [arm]});
		const harness = renderWizard({ports});
		await harness.waitForFrame(frame => frame.includes('2 found') && !frame.includes('still being read'));

		let frame = await harness.pressAndWait('j', 'Not offered: Still downloading or interrupted (.part).');
		expect(rowOf(frame, 'v0.12.0', 'amd64')).toMatch(/^› \[ \] v0\.12\.0\s+full\s+amd64\s+5\.00 GB\s+incomplete download$/);

		frame = await harness.pressAndWait(' ', 'cannot be imported');
		expect(unwrap(frame)).toContain(`${partial.fileName} cannot be imported: Still downloading or interrupted (.part).`);
		expect(rowOf(frame, 'v0.12.0', 'amd64')).toContain('[ ]');
		expect(ports.inspect.calls.map(call => call.args.path)).toEqual([arm.path]);
	});

	it('keeps the status of a package whose name is not recognised in view, and gives the reason', async () => {
		const harness = renderWizard({ports: createFakePorts({packages: [unnamed]})});

		const frame = await harness.waitForFrame('Not offered: Looks like an addon package');
		const row = frameLines(frame).find(line => line.startsWith('›'));
		expect(row).toMatch(/^› \[ \] addon-of…ld\.tar\.gz\s+\?\s+24\.0 GB\s+name not recognised$/);
		expect(frame).toContain(unnamed.path);
	});

	it('reads each package once, even when the answers come faster than the screen redraws', async () => {
		const harness = await onPackages();
		await harness.pressAndWait('j', frame => frameLines(frame).some(line => line.startsWith('›') && line.includes('arm64')));

		expect(harness.ports.inspect.calls.map(call => call.args.path).sort()).toEqual([amd.path, arm.path].sort());
	});

	it('says why a package that could not be read is not offered', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(amd)]});
		const harness = renderWizard({ports});
		(await ports.inspect.nth(0)).reject(new Error('EIO: i/o error, read'));

		const frame = await harness.waitForFrame('Not offered: Could not be read: EIO: i/o error, read');
		expect(rowOf(frame, 'v0.11.0', 'amd64')).toMatch(/unreadable$/);
	});

	it('drops a chosen package from the selection when reading finds it damaged', async () => {
		const ports = createFakePorts({packages: [discoveredFrom(amd)]});
		const harness = renderWizard({ports});
		const reading = await ports.inspect.nth(0);
		await harness.pressAndWait(' ', frame => chosen(frame, 'v0.11.0', 'amd64'));

		reading.resolve({...amd, complete: false, integrity: {state: 'damaged'}});
		const frame = await harness.waitForFrame('Not offered');
		expect(chosen(frame, 'v0.11.0', 'amd64')).toBe(false);
	});
});

describe('Packages: leaving', () => {
	it('quits with exit code 1 on q', async () => {
		const harness = await onPackages();
		harness.press('q');
		await expect.poll(() => harness.exitCodes).toEqual([1]);
	});

	it('exits 130 on ctrl+c, as a shell reports an interruption, before anything was found too; q quits with 1', async () => {
		const harness = renderWizard({ports: createFakePorts()});
		await harness.waitForFrame('Looking for offline packages');
		harness.press(keys.ctrlC);
		await expect.poll(() => harness.exitCodes).toEqual([130]);
		const other = renderWizard({ports: createFakePorts()});
		await other.waitForFrame('Looking for offline packages');
		other.press('q');
		await expect.poll(() => other.exitCodes).toEqual([1]);
	});
});

describe('Packages: unusual file names', () => {
	it('shows a line break in a package path escaped, keeping every row one line and the frame 80×24', async () => {
		const odd = full('v0.11.0', 'amd64', {dir: '/srv/bad\ndir'});
		const harness = await onPackages({fake: {packages: [discoveredFrom(odd)], inspections: [odd]}});
		const frame = harness.frame();

		expect(frame).toContain(String.raw`/srv/bad\ndir/addon-offline-full-package-v0.11.0-amd64.tar.gz`);
		expect(frameLines(frame).length).toBeLessThanOrEqual(23);
		expect(frameLines(frame).every(line => line.length <= 80)).toBe(true);
	});
});

describe('Packages: a release is a set', () => {
	const kindFile = (kind: string, version: string, arch: string) =>
		makeInspection(`${kind}-addon-offline-package-${version}-${arch}.tar.gz`, {images: ['release.daocloud.io/x/y:v1']});
	const v44 = ['standard', 'gpu', 'metax', 'jenkins'].map(kind => kindFile(kind, 'v0.44.0', 'amd64'));
	const v44arm = kindFile('standard', 'v0.44.0', 'arm64');
	const release = [...v44, v44arm];

	it('gives one complete file no heading: its row already says version, kind and arch', async () => {
		const full = ['amd64', 'arm64'].map(arch =>
			makeInspection(`addon-offline-full-package-v0.11.2-${arch}.tar.gz`, {images: ['release.daocloud.io/x/y:v1']}),
		);
		const harness = await onPackages({fake: {packages: full.map(item => discoveredFrom(item)), inspections: full}});
		const lines = frameLines(harness.frame());
		expect(lines.filter(line => /v0\.11\.2\s+full\s+(amd64|arm64)/.test(line))).toHaveLength(2);
		expect(lines.some(line => line.startsWith('v0.11.2 '))).toBe(false);
	});

	it('groups files under a heading per release and arch that says which kinds are here and which are not', async () => {
		const harness = await onPackages({fake: {packages: release.map(item => discoveredFrom(item)), inspections: release}});
		const lines = frameLines(harness.frame());
		expect(lines).toContain('v0.44.0 amd64: standard, gpu, metax, jenkins');
		// gpu and jenkins exist for arm64 from v0.44.0; metax never does, so it is not "missing" there.
		expect(lines).toContain('v0.44.0 arm64: standard · not here: gpu (optional), jenkins (optional)');
		const heading = lines.indexOf('v0.44.0 amd64: standard, gpu, metax, jenkins');
		expect(lines.slice(heading + 1, heading + 5).map(line => /\bv0\.44\.0\s+(\w+)\s+amd64/.exec(line)?.[1])).toEqual([
			'standard',
			'gpu',
			'metax',
			'jenkins',
		]);
	});

	it('chooses every kind found for the release and arch under the cursor with a, and lets go of them with a again', async () => {
		const harness = await onPackages({fake: {packages: release.map(item => discoveredFrom(item)), inspections: release}});
		let frame = await harness.pressAndWait('a', 'Chose v0.44.0 amd64: standard, gpu, metax, jenkins.');
		expect(frameLines(frame).filter(line => line.includes(`[${glyphSelected}]`)).length).toBe(4);
		expect(frame).not.toMatch(new RegExp(`\\[${glyphSelected}].*arm64`));
		frame = await harness.pressAndWait('a', 'Let go of v0.44.0 amd64');
		expect(frameLines(frame).filter(line => line.includes(`[${glyphSelected}]`))).toEqual([]);
	});

	it('describes the kind under the cursor, and names a kind it does not know yet instead of refusing it', async () => {
		const future = makeInspection('ascend-addon-offline-package-v0.50.0-arm64.tar.gz', {images: ['release.daocloud.io/x/y:v1']});
		const harness = await onPackages({fake: {packages: [discoveredFrom(v44[2]!), discoveredFrom(future)], inspections: [v44[2]!, future]}});
		expect(harness.frame()).toContain('metax: MetaX GPU charts: metax-exporter, metax-gpu-extensions, metax-operator');
		const frame = await harness.pressAndWait(keys.down, 'ascend: a kind this wizard does not know yet');
		expect(frame).toMatch(/v0\.50\.0 arm64: ascend/);
	});
});

const glyphSelected = '✔';
