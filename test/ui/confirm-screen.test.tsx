// The Confirm screen: the exact commands before anything runs, and the keys that run them,
// go back, or skip the question with --yes.
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {displayCommand} from '../../source/domain/build-installer-command.js';
import {amd64, keys, makePlan, makeStep, onConfirm, onReview, unwrap} from '../helpers/fake-ports.js';

afterEach(() => {
	cleanup();
});

const edit = {
	path: '/root/offline/sample/clusterConfig.yaml',
	newPaths: [amd64.path],
	diff: `-    path: /srv/old.tar.gz\n+    path: ${amd64.path}\n`,
	originalText: '',
	newText: '',
};

const integration = makePlan({
	operation: 'multi-arch-integration',
	steps: [
		makeStep(0, {title: 'Import addon v0.11.0 (amd64)', argv: ['/root/dce5-installer', 'cluster-create', '-c', '/root/offline/sample/clusterConfig.yaml', '-m', '/root/offline/sample/manifest.yaml', '-d', '-j13'], cwd: '/root/offline', configEdit: edit}),
		makeStep(1, {title: 'Add arm64 to addon v0.11.0', argv: ['/root/dce5-installer', 'import', '-addon', '-c', '/root/my configs/clusterConfig.yaml', '--addon-path=/srv/packages/addon-offline-full-package-v0.11.0-arm64.tar.gz'], cwd: '/root/work'}),
	],
});

describe('Confirm: the commands', () => {
	it('lists every step with its exact argv, quoted for a shell, and where it runs', async () => {
		const harness = await onConfirm(integration, {rows: 40});
		// As pasted into a shell: the ` \` continuations join the lines back into one command.
		const text = unwrap(harness.frame()).replaceAll(' \\ ', ' ');

		expect(text).toContain('These 2 commands run, in this order:');
		expect(text).toContain(`1. Import addon v0.11.0 (amd64) first sets spec.addonPackage.path in /root/offline/sample/clusterConfig.yaml to ${amd64.path} (backup kept)`);
		expect(text).toContain('$ /root/dce5-installer cluster-create -c /root/offline/sample/clusterConfig.yaml -m /root/offline/sample/manifest.yaml -d -j13 in /root/offline');
		expect(text).toContain(`2. Add arm64 to addon v0.11.0 $ ${displayCommand(integration.steps[1]!.argv)} in /root/work`);
		expect(text).toContain("-c '/root/my configs/clusterConfig.yaml' --addon-path=/srv/packages/addon-offline-full-package-v0.11.0-arm64.tar.gz");
		expect(text).toContain('Run now? y or enter runs, b goes back, q quits without changing anything.');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('says "this command" for a plan of one step', async () => {
		const harness = await onConfirm(makePlan({steps: [makeStep(0)]}));

		expect(harness.frame()).toContain('This command runs:');
	});
});

describe('Confirm: the keys', () => {
	it('goes back to Review with b, and with esc', async () => {
		const harness = await onConfirm();

		await harness.pressAndWait('b', frame => frame.includes('REVIEW') && frame.includes('Disk space'));
		await harness.pressAndWait(keys.enter, 'CONFIRM');
		await harness.pressAndWait(keys.escape, 'REVIEW');
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('starts the run from the first step with y', async () => {
		const plan = makePlan();
		const harness = await onConfirm(plan);
		harness.press('y');

		const run = await harness.ports.run(0);
		expect(run.fromStep).toBe(0);
		expect(run.plan).toBe(plan);
		await harness.waitForFrame('RUN');
		expect(harness.ports.runs).toHaveLength(1);
	});

	it('lands a burst that crosses screens: enter then y, typed at once on Review, runs the plan', async () => {
		const plan = makePlan();
		const harness = await onReview(plan, 'Disk space');
		harness.press(`${keys.enter}y`);

		const run = await harness.ports.run(0);
		expect(run.plan).toBe(plan);
		await harness.waitForFrame('RUN');
		expect(harness.ports.runs).toHaveLength(1);
	});

	it('starts the run with enter too', async () => {
		const harness = await onConfirm();
		harness.press(keys.enter);

		expect((await harness.ports.run(0)).fromStep).toBe(0);
	});

	it('quits with exit code 1 on q, running nothing', async () => {
		const harness = await onConfirm();
		harness.press('q');

		await expect.poll(() => harness.exitCodes).toEqual([1]);
		expect(harness.ports.runs).toHaveLength(0);
	});

	it('is skipped with --yes: enter on Review starts the run from the first step', async () => {
		const harness = await onReview(makePlan(), 'Disk space', {initial: {yes: true}});
		harness.press(keys.enter);

		const run = await harness.ports.run(0);
		expect(run.fromStep).toBe(0);
		await harness.waitForFrame('RUN');
		expect(harness.frames().some(frame => frame.includes('CONFIRM'))).toBe(false);
	});
});
