// Every installer line the wizard reads, as the simulator (docs/installer-contract.md,
// tools/README.md) prints it, and the cause and next step an operator is shown for each failure.
import {describe, expect, it} from 'vitest';
import {wordNextStep} from '../../../source/domain/shared/next-step.js';
import {classifyFailure, parseOutputLine, type StepExit} from '../../../source/domain/run/installer-output.js';
import {advanceProgress, initialProgress, progressFraction, withUnpacked} from '../../../source/domain/run/run-progress.js';

const cwd = '/root/offline work';
const target = `${cwd}/addon-offline-target-package`;
const installerPath = '/root/dce5-installer';

describe('parseOutputLine', () => {
	it.each([
		['[Info]: Step 13/13: import addon offline package', {kind: 'step', index: 13, total: 13, title: 'import addon offline package'}],
		[
			'[Info]: Step 1/1: import addon offline package (multi-arch)',
			{kind: 'step', index: 1, total: 1, title: 'import addon offline package (multi-arch)'},
		],
		[
			'I1124 20:01:47.234706    8743 sync.go:66] Syncing "dao-2048_1.4.1" chart...',
			{kind: 'chart', chart: 'dao-2048_1.4.1', skipped: false},
		],
		[
			'I1124 20:01:48.000001    8743 index.go:80] Skipping "metrics-server_3.8.3" chart: Already synced',
			{kind: 'chart', chart: 'metrics-server_3.8.3', skipped: true},
		],
		[
			'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
			{kind: 'image', ref: '10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1', skipped: false},
		],
		[
			'Image 10.6.135.222/docker.m.daocloud.io/bitnami/nginx:1.25.1 already exists, skip pushing...',
			{kind: 'image', ref: '10.6.135.222/docker.m.daocloud.io/bitnami/nginx:1.25.1', skipped: true},
		],
		[
			'[info] import image from oci:offline-images:release.daocloud.io/daocloud/dao-2048:v1.4.1 to 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1-arm64',
			{kind: 'merge', ref: 'release.daocloud.io/daocloud/dao-2048:v1.4.1'},
		],
		['[warn] skipping to push since it already exists in remote', {kind: 'merge-skip'}],
		['[Error]:[Error] failed to unpack addon package: mkdir /root/addon-offline-target-package: file exists', {kind: 'error'}],
		[
			'Error: failed to push image 10.6.135.222/localhost/kube-bench:v0.6.8: unauthorized: project not found, name: localhost: project not found, name: localhost',
			{kind: 'error'},
		],
		['Error: unknown command "upgrade -x" for "dce5-installer"', {kind: 'error'}],
		['[err] failed to create manifest list', {kind: 'error'}],
		['E1124 20:01:49.000000    8743 sync.go:120] unable to move chart "dao-2048" with relok8s', {kind: 'error'}],
		['panic: runtime error: index out of range [3] with length 3', {kind: 'error'}],
		['fatal error: concurrent map writes', {kind: 'error'}],
		['[Info]: unpacking addon package /root/pkg.tar.gz (123 bytes) to /root/addon-offline-target-package', {kind: 'other'}],
		['[Info]: addon offline package addon-offline-full-package-v0.9.5-arm64.tar.gz imported (arm64)', {kind: 'other'}],
		[
			'I1124 20:01:47.234706    8743 sync.go:120] flood line for throughput measurement ...................................... 41',
			{kind: 'other'},
		],
		['', {kind: 'other'}],
		// Mentioning an error is not being one.
		['Pushing image whose name contains Error: no', {kind: 'other'}],
		// GNU tar's failures, as the installer relays them when it unpacks with tar.
		['tar: ./addon-offline-package/addon/dao-2048-1.4.1.bundle.tar: Cannot write: No space left on device', {kind: 'error'}],
		['tar: ./addon-offline-package/addon/dao-2048-1.4.1.bundle.tar: Wrote only 9728 of 10240 bytes', {kind: 'error'}],
		['tar: Exiting with failure status due to previous errors', {kind: 'error'}],
		["tar: Removing leading `/' from member names", {kind: 'other'}],
		// logrus (Harbor, skopeo): level error and fatal are errors, info is not.
		[
			'time="2026-01-05T10:00:00Z" level=error msg="Error copying image: writing blob: unauthorized: project not found, name: localhost"',
			{kind: 'error'},
		],
		['time="2026-01-05T10:00:00Z" level=fatal msg="Error copying image"', {kind: 'error'}],
		['time="2026-01-05T10:00:00Z" level=info msg="Copying blob sha256:abc"', {kind: 'other'}],
		// kind's failure (reference §3.5).
		['ERROR: failed to create cluster: command "podman run --name kind-control-plane" failed', {kind: 'error'}],
		// kubean's merge names the tag it pushes; the tag without its -arch is what the registry lists.
		[
			'[info] import image from oci:offline-images:a/b:v1-rc-1 to 10.6.135.222/a/b:v1-rc-1-arm64',
			{kind: 'merge', ref: 'a/b:v1-rc-1', target: '10.6.135.222/a/b:v1-rc-1'},
		],
	])('%s', (line, expected) => {
		expect(parseOutputLine(line)).toMatchObject(expected);
	});
});

const exit = (errorLines: string[], overrides: Partial<StepExit> = {}): StepExit => ({
	exitCode: 1,
	installerPath,
	cwd,
	errorLines,
	...overrides,
});

describe('classifyFailure', () => {
	it('an installer that is not there: installer-missing, copy it or pass --installer', () => {
		expect(classifyFailure(exit([], {exitCode: undefined, spawnError: 'ENOENT'}))).toMatchObject({
			kind: 'installer-missing',
			path: installerPath,
			hint: expect.stringContaining('--installer PATH') as string,
		});
	});

	it('an installer without the x bit: installer-not-executable, chmod +x', () => {
		expect(classifyFailure(exit([], {exitCode: undefined, spawnError: 'EACCES'}))).toMatchObject({
			kind: 'installer-not-executable',
			path: installerPath,
			hint: `Run chmod +x ${installerPath}, then retry.`,
		});
	});

	it('an installer for another CPU: installer-cannot-run, saying which architecture it is', () => {
		const failure = classifyFailure(
			exit([], {exitCode: undefined, spawnError: 'ENOEXEC', spawnDetail: 'an aarch64 binary on this x64 machine'}),
		);
		expect(failure).toMatchObject({kind: 'installer-cannot-run', path: installerPath});
		expect(failure.message).toContain('wrong architecture');
		expect(failure.message).toContain('an aarch64 binary on this x64 machine');
		expect(failure.hint).toContain('uname -m');
	});

	it('a leftover directory, in a working directory with a space in its path', () => {
		const failure = classifyFailure(exit([`[Error]:[Error] failed to unpack addon package: mkdir ${target}: file exists`]));
		expect(failure).toMatchObject({kind: 'leftover-target', path: target});
		expect(wordNextStep(failure, 'screen')).toContain('rm -rf addon-offline-target-package');
	});

	it.each([
		['the outer unpack', `${target}/addon-offline-package/addon/dao-2048-1.4.1.bundle.tar`],
		['a bundle unpack', `${target}/addon-offline-package/addon/dao-2048-1.4.1.bundle/images.tar`],
	])('a full disk during %s: no-space with the file being written', (_name, file) => {
		const failure = classifyFailure(exit([`[Error]:[Error] failed to unpack addon package: write ${file}: no space left on device`]));
		expect(failure).toMatchObject({kind: 'no-space', path: file});
		expect(failure.message).toContain(file);
	});

	it.each([
		['localhost', 'localhost/aquasec/kube-bench:v0.6.8'],
		['docker.m.daocloud.io', 'docker.m.daocloud.io/bitnami/nginx:1.25.1'],
		// A space that is a registry with a port is named whole.
		['localhost:5000', 'localhost:5000/library/busybox:1.36'],
	])('a missing registry space %s: registry-space-missing naming it', (space, ref) => {
		const failure = classifyFailure(
			exit([
				`Error: failed to push image 10.6.135.222/${ref}: unauthorized: project not found, name: ${space}: project not found, name: ${space}`,
				'[Error]:[Error] import addon failed',
			]),
		);
		expect(failure).toMatchObject({kind: 'registry-space-missing', space});
		expect(failure.hint).toContain(`"${space}"`);
	});

	it.each([
		['you stopped it', {stoppedBy: 'user' as const}],
		['the disk was about to fill', {stoppedBy: 'disk-floor' as const}],
		['something outside the wizard killed it', {}],
	])('death by a signal: killed, saying %s', (who, overrides) => {
		const failure = classifyFailure(exit([], {exitCode: undefined, signal: 'SIGTERM', ...overrides}));
		expect(failure).toMatchObject({kind: 'killed', signal: 'SIGTERM'});
		expect(failure.message).toContain(who);
		expect(wordNextStep(failure, 'screen')).toContain('press r');
	});

	it('an installer that catches the stop and exits with a status is still "you stopped it", not an unknown error', () => {
		const failure = classifyFailure(exit(['[Error]:[Error] context canceled'], {exitCode: 1, stoppedBy: 'user'}));
		expect(failure).toMatchObject({kind: 'killed', signal: 'SIGINT'});
		expect(failure.message).toContain('you stopped it');
	});

	it('a wrapper script reporting SIGKILL as status 137 is a kill from outside', () => {
		expect(classifyFailure(exit([], {exitCode: 137}))).toMatchObject({kind: 'killed', signal: 'SIGKILL'});
	});

	it('the specific cause wins over the signal it ended with', () => {
		const failure = classifyFailure(
			exit([`[Error]:[Error] failed to unpack addon package: write ${target}/x: no space left on device`], {
				exitCode: undefined,
				signal: 'SIGINT',
				stoppedBy: 'disk-floor',
			}),
		);
		expect(failure.kind).toBe('no-space');
	});

	it.each([
		[
			'an older installer without import -addon',
			'Error: unknown command "import -addon -c /root/clusterConfig.yaml --addon-path=/root/p.tar.gz" for "dce5-installer"',
			'does not know the command "import -addon',
			'--import-command',
		],
		[
			'a config the installer rejects',
			'[Error]:[Error] invalid ClusterConfig: spec.addonPackage.path is empty',
			'rejected clusterConfig.yaml: spec.addonPackage.path is empty',
			'clusterConfig.yaml',
		],
		[
			'a missing manifest',
			'[Error]:[Error] read manifest /root/offline/sample/manifest.yaml: no such file or directory',
			'manifest.yaml: /root/offline/sample/manifest.yaml',
			'-m ',
		],
		[
			'a package gone before the installer opened it',
			'[Error]:[Error] failed to unpack addon package: open /root/p.tar.gz: no such file or directory',
			'The package /root/p.tar.gz is gone',
			'Put it back',
		],
	])('%s: a message saying so and what to do, with the lines', (_name, line, message, hint) => {
		const failure = classifyFailure(exit([line]));
		expect(failure.kind).toBe('unknown');
		expect(failure.message).toContain(message);
		expect(failure.hint).toContain(hint);
		expect('lastErrors' in failure && failure.lastErrors).toEqual([line]);
	});

	it("a damaged package (gzip or tar cut short, Go's wording included): package-damaged, download it again", () => {
		for (const detail of ['unexpected end of file', 'unexpected EOF', 'archive/tar: invalid tar header']) {
			const line = `[Error]:[Error] failed to unpack addon package: ${detail}`;
			const failure = classifyFailure(exit([line]));
			expect(failure).toMatchObject({kind: 'package-damaged', detail});
			expect(failure.message).toContain(`damaged (${detail})`);
			expect(failure.hint).toContain('sha512');
		}
	});

	it('a registry that refuses connections: registry-unreachable, naming the address and how to check it', () => {
		const failure = classifyFailure(
			exit([
				'Error: failed to push image 127.0.0.1:41234/release.daocloud.io/daocloud/dao-2048:v1.4.1: Get "http://127.0.0.1:41234/v2/": dial tcp 127.0.0.1:41234: connect: connection refused',
				'[Error]:[Error] import addon failed',
			]),
		);
		expect(failure).toMatchObject({kind: 'registry-unreachable', address: '127.0.0.1:41234'});
		expect(failure.message).toBe('The registry at http://127.0.0.1:41234 refused the connection.');
		expect(failure.hint).toContain('curl -v http://127.0.0.1:41234/v2/');
		expect(wordNextStep(failure, 'plain')).toContain('--cleanup');
	});

	it('a chart repository that is down is named as the chart repository', () => {
		const failure = classifyFailure(
			exit([
				'Error: failed to sync charts to http://127.0.0.1:8081: Get "http://127.0.0.1:8081/index.yaml": dial tcp 127.0.0.1:8081: connect: connection refused',
			]),
		);
		expect(failure).toMatchObject({kind: 'registry-unreachable', address: '127.0.0.1:8081'});
		expect(failure.message).toContain('chart repository at http://127.0.0.1:8081');
	});

	it("Harbor's missing project inside a logrus line is the project name Harbor accepts, without the closing quote", () => {
		const failure = classifyFailure(
			exit([
				'time="2026-01-05T10:00:00Z" level=error msg="Error copying image: writing blob: unauthorized: project not found, name: localhost"',
			]),
		);
		expect(failure).toMatchObject({kind: 'registry-space-missing', space: 'localhost'});
		expect(failure.hint).toContain('"localhost" in the registry');
	});

	it('a leftover that was there before the installer started is the cause, whatever the installer printed', () => {
		for (const line of [
			'[Error]:[Error] addon-offline-target-package already exists, please remove it first',
			'[Error]:[Error] import addon failed',
		]) {
			const failure = classifyFailure(exit([line], {state: {targetBefore: true}}));
			expect(failure).toMatchObject({kind: 'leftover-target', path: target});
			expect(wordNextStep(failure, 'plain')).toContain('--cleanup');
		}

		// Its own wording is enough too.
		expect(classifyFailure(exit(['[Error]:[Error] addon-offline-target-package already exists, please remove it first']))).toMatchObject({
			kind: 'leftover-target',
		});
	});

	const fullDisk = {path: cwd, mountPoint: '/root', source: '/dev/sda3', fsType: 'ext4', freeBytes: 4096, totalBytes: 100e9};

	it('a full filesystem after a failure is no-space whatever was printed, naming the filesystem and how much to free', () => {
		const failure = classifyFailure(
			exit(['[Error]:[Error] import addon failed'], {
				state: {filesystem: fullDisk, expectedBytes: 12e9, leftover: {path: target, bytes: 5e9}},
			}),
		);
		expect(failure).toMatchObject({kind: 'no-space', toFreeBytes: 12e9 - 5e9 - 4096});
		expect(failure.message).toBe('No space left on /root (ext4 on /dev/sda3): 4.10 KB free of 100.0 GB.');
		expect(failure.hint).toBe(
			`Free at least 7.00 GB more on /root (the step writes about 12.0 GB; removing the leftover ${target} gives back 5.00 GB), or pass --workdir DIR on a bigger filesystem`,
		);
	});

	it.each([
		['tar: Cannot write', `tar: ${target}/addon/x.bundle.tar: Cannot write: No space left on device`],
		['tar: Wrote only', `tar: ${target}/addon/x.bundle.tar: Wrote only 9728 of 10240 bytes`],
	])("GNU tar's %s is no-space, naming the file and the filesystem", (_name, line) => {
		const failure = classifyFailure(exit([line], {state: {filesystem: fullDisk, expectedBytes: 1e9}}));
		expect(failure).toMatchObject({kind: 'no-space', path: `${target}/addon/x.bundle.tar`, filesystem: {mountPoint: '/root'}});
		expect(failure.message).toContain('/root (ext4 on /dev/sda3)');
	});

	it('"no space left" while the filesystem has room now: says both, without guessing which filled', () => {
		const failure = classifyFailure(
			exit([`[Error]:[Error] failed to unpack addon package: write ${target}/x: no space left on device`], {
				state: {filesystem: {...fullDisk, freeBytes: 50e9}, expectedBytes: 1e9},
			}),
		);
		expect(failure).toMatchObject({kind: 'no-space', path: `${target}/x`, toFreeBytes: 0});
		expect(failure.message).toBe(
			`The installer ran out of space while writing ${target}/x, yet /root (ext4 on /dev/sda3) has 50.0 GB free now (the step writes about 1.00 GB): a quota, another filesystem, or space given back since.`,
		);
	});

	it('a filesystem with room is not called full; a stop at the disk floor stays a stop', () => {
		const roomy = {...fullDisk, freeBytes: 50e9};
		expect(classifyFailure(exit(['[Error]:[Error] import addon failed'], {state: {filesystem: roomy}})).kind).toBe('unknown');
		expect(
			classifyFailure(exit([], {exitCode: undefined, signal: 'SIGINT', stoppedBy: 'disk-floor', state: {filesystem: fullDisk}})).kind,
		).toBe('killed');
	});

	it('a failure that printed nothing error-like shows its last lines, labelled as such', () => {
		const failure = classifyFailure(exit([], {recentLines: ['[Info]: pushing', 'something odd happened']}));
		expect(failure).toMatchObject({kind: 'unknown', lastErrors: [], lastLines: ['[Info]: pushing', 'something odd happened']});
	});

	it('anything else: unknown with the status and the last five error lines', () => {
		const lines = Array.from({length: 8}, (_item, index) => `[Error]:[Error] step ${index}`);
		const failure = classifyFailure(exit(lines, {exitCode: 2}));
		expect(failure).toMatchObject({kind: 'unknown', message: 'Installer exited with status 2.', lastErrors: lines.slice(-5)});
	});
});

describe('run progress from the output', () => {
	it('counts charts (synced or skipped) and images (pushed, skipped or merged) against the package', () => {
		const lines = [
			'[Info]: Step 13/13: import addon offline package',
			'I1124 20:01:47.234706    8743 sync.go:66] Syncing "dao-2048_1.4.1" chart...',
			'I1124 20:01:47.234706    8743 index.go:80] Skipping "nginx_15.1.0" chart: Already synced',
			'Pushing 10.6.135.222/release.daocloud.io/daocloud/dao-2048:v1.4.1...',
			'Image 10.6.135.222/docker.m.daocloud.io/bitnami/nginx:1.25.1 already exists, skip pushing...',
			'[info] import image from oci:offline-images:a/b:c to 10.6.135.222/a/b:c-arm64',
			'[warn] skipping to push since it already exists in remote',
		];
		let progress = initialProgress({expectedBytes: 1000, expectedCharts: 3, expectedImages: 4});
		for (const line of lines) {
			progress = advanceProgress(progress, parseOutputLine(line));
		}

		expect(progress).toMatchObject({chartsSeen: 2, imagesSeen: 3, chartsSkipped: 1, imagesSkipped: 2});
		progress = withUnpacked(progress, 1000);
		progress = withUnpacked(progress, 0); // The installer removed its directory at the end.
		expect(progress.unpackedBytes).toBe(1000);
		// The import's share moves with the counts only: 2 of 3 charts and 3 of 4 images.
		expect(progressFraction(progress)).toBeCloseTo(5 / 7);
	});
});
