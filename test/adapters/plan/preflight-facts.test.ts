// The pre-flight's facts from real files: the working directory, a leftover in it, the packages
// as they are now, and whether the installer can start (a directory, a script's interpreter).
import {chmod, mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {gatherPreflightFacts} from '../../../source/adapters/plan/preflight-facts.js';
import {probeInstaller, resolveInstaller} from '../../../source/adapters/config/resolve-paths.js';
import {missingInterpreter} from '../../../source/adapters/host/why-not-executable.js';

let root = '';

beforeAll(async () => {
	root = await mkdtemp(path.join(tmpdir(), 'addon-wizard-preflight-'));
});

afterAll(async () => {
	await rm(root, {recursive: true, force: true});
});

async function dir(name: string): Promise<string> {
	const full = path.join(root, name);
	await mkdir(full, {recursive: true});
	return full;
}

async function script(file: string, text: string): Promise<string> {
	await mkdir(path.dirname(file), {recursive: true});
	await writeFile(file, text, {mode: 0o755});
	return file;
}

describe('gatherPreflightFacts', () => {
	it('finds a leftover addon-offline-target-package with the bytes under it', async () => {
		const workdir = await dir('with-leftover');
		const leftover = path.join(workdir, 'addon-offline-target-package');
		await mkdir(path.join(leftover, 'addon-offline-package', 'addon'), {recursive: true});
		await writeFile(path.join(leftover, 'addon-offline-package', 'addon', 'a.bundle.tar'), Buffer.alloc(3000));
		await writeFile(path.join(leftover, 'images.tar'), Buffer.alloc(1200));

		const facts = await gatherPreflightFacts({workdir, packages: []});
		expect(facts).toEqual({
			workdir: {path: workdir, exists: true, isDirectory: true, writable: true},
			// No package in the plan explains a file, so every file under it is named before a cleanup.
			leftover: {
				path: leftover,
				type: 'directory',
				bytes: 4200,
				unexplained: {count: 2, paths: ['addon-offline-package/addon/a.bundle.tar', 'images.tar']},
			},
			packages: [],
		});
	});

	it('names a leftover that is a symlink or a file as such', async () => {
		const linked = await dir('linked');
		await symlink(await dir('elsewhere'), path.join(linked, 'addon-offline-target-package'));
		expect((await gatherPreflightFacts({workdir: linked, packages: []})).leftover).toMatchObject({type: 'symlink'});
		const filed = await dir('filed');
		await writeFile(path.join(filed, 'addon-offline-target-package'), 'x');
		expect((await gatherPreflightFacts({workdir: filed, packages: []})).leftover).toMatchObject({type: 'file', bytes: 1});
	});

	it('says when the working directory is missing, a file, or read-only (even for root)', async () => {
		const missing = path.join(root, 'nowhere');
		expect((await gatherPreflightFacts({workdir: missing, packages: []})).workdir).toEqual({
			path: missing,
			exists: false,
			isDirectory: false,
			writable: false,
		});
		const file = path.join(root, 'a-file');
		await writeFile(file, '');
		expect((await gatherPreflightFacts({workdir: file, packages: []})).workdir).toMatchObject({
			exists: true,
			isDirectory: false,
			writable: false,
		});
		const readOnly = await dir('read-only');
		await chmod(readOnly, 0o555);
		expect((await gatherPreflightFacts({workdir: readOnly, packages: []})).workdir).toMatchObject({
			exists: true,
			isDirectory: true,
			writable: false,
		});
	});

	it('reads each package as it is now, and the partial file a download tool keeps beside it', async () => {
		const packages = await dir('packages');
		const file = path.join(packages, 'addon-offline-full-package-v0.12.0-amd64.tar.gz');
		await writeFile(file, Buffer.alloc(500));
		await writeFile(`${file}.part`, Buffer.alloc(10));
		const gone = path.join(packages, 'addon-offline-full-package-v0.12.0-arm64.tar.gz');
		const facts = await gatherPreflightFacts({
			workdir: packages,
			packages: [
				{path: file, fileName: path.basename(file)},
				{path: gone, fileName: path.basename(gone)},
			],
		});
		expect(facts.packages[0]).toMatchObject({path: file, sizeNow: 500, partial: `${path.basename(file)}.part`});
		expect(facts.packages[0]!.mtimeNow).toBeGreaterThan(0);
		expect(facts.packages[1]).toEqual({path: gone, fileName: path.basename(gone)});
	});
});

describe('whether the installer can start', () => {
	it('calls a directory a directory, not "not found", and looks further on PATH for the program', async () => {
		const home = await dir('home-dir');
		await mkdir(path.join(home, 'dce5-installer'));
		expect(await resolveInstaller(undefined, {HOME: home, PATH: ''})).toEqual({
			path: path.join(home, 'dce5-installer'),
			found: true,
			executable: false,
			isDirectory: true,
		});
		const bin = await dir('bin-with-installer');
		await script(path.join(bin, 'dce5-installer'), '#!/bin/sh\necho ok\n');
		expect(await resolveInstaller(undefined, {HOME: home, PATH: bin})).toEqual({
			path: path.join(bin, 'dce5-installer'),
			found: true,
			executable: true,
		});
	});

	it("names the interpreter a script's #! line names when this machine lacks it", async () => {
		const missing = await script(path.join(root, 'scripts', 'absolute'), '#!/nonexistent/bin/python9 -u\nprint(1)\n');
		expect(missingInterpreter(missing, '/usr/bin:/bin')).toBe('/nonexistent/bin/python9');
		expect(await probeInstaller(missing, '/usr/bin:/bin')).toMatchObject({
			found: true,
			executable: true,
			missingInterpreter: '/nonexistent/bin/python9',
		});
	});

	it('looks up #!/usr/bin/env NAME on the PATH the installer gets, options and all', async () => {
		const viaEnv = await script(path.join(root, 'scripts', 'env'), '#!/usr/bin/env no-such-shell-here\n');
		expect(missingInterpreter(viaEnv, '/usr/bin:/bin')).toBe('no-such-shell-here (through /usr/bin/env; not on PATH)');
		const split = await script(path.join(root, 'scripts', 'env-split'), '#!/usr/bin/env -S no-such-shell-here -e\n');
		expect(missingInterpreter(split, '/usr/bin:/bin')).toBe('no-such-shell-here (through /usr/bin/env; not on PATH)');
		const present = await script(path.join(root, 'scripts', 'env-sh'), '#!/usr/bin/env sh\n');
		expect(missingInterpreter(present, '/usr/bin:/bin')).toBeUndefined();
		expect(missingInterpreter(present, path.join(root, 'empty-path'))).toBe('sh (through /usr/bin/env; not on PATH)');
	});

	it('leaves binaries and scripts whose interpreter is there alone', async () => {
		const sh = await script(path.join(root, 'scripts', 'sh'), '#!/bin/sh\necho ok\n');
		expect(await probeInstaller(sh, '/usr/bin:/bin')).toEqual({path: sh, found: true, executable: true});
		expect(missingInterpreter(process.execPath, '/usr/bin:/bin')).toBeUndefined();
	});
});
