// Who still writes into an addon-offline-target-package: the rule the cleanup guard applies to a
// scan of /proc and the wizard's run records.
import {describe, expect, it} from 'vitest';
import {liveWriterRefusal, liveWriters, type ScannedProcess} from '../../../source/domain/run/live-writers.js';

const target = '/srv/work/addon-offline-target-package';
const question = {target, workdir: '/srv/work', installerNames: ['dce5-installer'], selfPid: 1, recorded: []};
const proc = (pid: number, extra: Partial<ScannedProcess>): ScannedProcess => ({pid, pgid: pid, argv: ['bash'], openPaths: [], ...extra});

describe('liveWriters', () => {
	it('finds an installer started by hand in the working directory, its helpers, and anything inside or holding files there', () => {
		const writers = liveWriters(
			[
				proc(10, {argv: ['node', '/root/dce5-installer', 'import', '-addon'], cwd: '/srv/work'}),
				proc(11, {pgid: 10, argv: ['sleep', '600'], cwd: '/'}),
				proc(20, {argv: ['skopeo', 'copy'], cwd: `${target}/addon`}),
				proc(30, {argv: ['tar', 'x'], cwd: '/tmp', openPaths: [`${target}/a.bundle.tar`]}),
				// The operator's shell in the working directory is not a writer.
				proc(40, {argv: ['-bash'], cwd: '/srv/work'}),
				// Nor is the wizard itself.
				proc(1, {argv: ['node', 'addon-wizard'], cwd: target}),
				// A folder whose name starts the same is another folder.
				proc(50, {argv: ['cp'], cwd: `${target}-old`}),
			],
			question,
		);
		expect(writers.map(item => [item.pid, item.why])).toEqual([
			[10, 'runs in /srv/work'],
			[11, 'in the process group of pid 10'],
			[20, 'works inside it'],
			[30, 'has files open in it'],
		]);
	});

	it("takes in the group of an installer that leads it, never a group it merely joined (a shell's, the wizard's)", () => {
		const writers = liveWriters(
			[
				// Started without job control: it sits in the group of the shell (pid 5) that started it.
				proc(60, {pgid: 5, argv: ['sleep', '60'], cwd: `${target}/addon`}),
				proc(61, {pgid: 5, argv: ['vim'], cwd: '/home/op'}),
				proc(5, {argv: ['-bash'], cwd: '/home/op'}),
				// The wizard's own group leads nothing here, even when something in it writes.
				proc(70, {pgid: 70, argv: ['node', '/root/dce5-installer'], cwd: '/srv/work'}),
				proc(71, {pgid: 70, argv: ['node', 'addon-wizard'], cwd: '/srv/work'}),
			],
			{...question, selfPid: 71, selfGroup: 70},
		);
		expect(writers.map(item => item.pid)).toEqual([60, 70]);
	});

	it("counts a recorded run's installer of any config, and words the refusal with the pids and the next step", () => {
		const writers = liveWriters([], {...question, recorded: [{pid: 77, wizardPid: 70, configPath: '/other/clusterConfig.yaml'}]});
		const refusal = liveWriterRefusal(target, writers);
		expect(refusal).toMatchObject({kind: 'installer-running', exitCode: 3});
		expect(refusal.message).toBe(
			`Refusing to remove ${target}: a live installer is still writing there: dce5-installer (pid 77, started by addon-wizard (pid 70) for /other/clusterConfig.yaml).`,
		);
		expect(refusal.hint).toContain('kill -INT -77');
		expect(refusal.hint).toContain('addon-wizard attach');
	});
});
