// `addon-wizard history` says per step whether undo would help: after the <0.12.0 conversion a
// later verified integration of the lost arch put the tags right, so undo is "not needed" (it would
// only find the tags changed since), not "available"; without that integration it stays available.
import {describe, expect, it} from 'vitest';
import {renderHistory} from '../../../source/app/commands/history-command.js';
import type {HistoryEntry} from '../../../source/workflow/ports/history-port.js';

const cluster = {configPath: '/c.yaml'};
const at = (minute: number) => Date.UTC(2026, 11, 7, 23, minute);

const clobbered: HistoryEntry = {
	cluster,
	at: at(31),
	stepId: 'cluster-create',
	stepKind: 'cluster-create',
	packages: [{fileName: 'addon-offline-full-package-v0.11.2-amd64.tar.gz', version: 'v0.11.2', arch: 'amd64'}],
	installer: {path: '/root/dce5-installer'},
	outcome: 'ok',
	verdict: 'failed',
	verification: {
		verified: false,
		message: '3 tag(s) lost arm64.',
		hint: '',
		checkedImages: 3,
		lostArch: 3,
		missing: 0,
		lostArchTags: [{key: 'r/a:1', lost: ['arm64']}],
	},
	logPath: '/logs/run-20261207-233117-992.log',
	snapshotPath: '/state/snapshots/run-20261207-233117-992/step-1.json',
};

const integrated = (verified: boolean): HistoryEntry => ({
	...clobbered,
	at: at(32),
	stepId: 'import-arm64',
	stepKind: 'import-addon',
	packages: [{fileName: 'addon-offline-full-package-v0.11.2-arm64.tar.gz', version: 'v0.11.2', arch: 'arm64'}],
	verdict: verified ? 'done' : 'failed',
	verification: {verified, message: 'All 3 images are in the registry.', hint: '', checkedImages: 3, lostArch: 0, missing: 0},
	logPath: '/logs/run-20261207-233149-892.log',
	snapshotPath: '/state/snapshots/run-20261207-233149-892/step-2.json',
});

const undoLineOf = (text: string, header: string) => {
	const lines = text.split('\n');
	const start = lines.findIndex(line => line.includes(header));
	return lines.slice(start).find(line => line.startsWith('  undo:'));
};

describe('history: the undo line of a step whose tags lost an arch', () => {
	it('says "not needed" once a later verified integration put the arch back', () => {
		const text = renderHistory([integrated(true), clobbered]);
		expect(undoLineOf(text, 'cluster-create v0.11.2 amd64')).toBe(
			'  undo: not needed: arm64 integrated again 2026-12-07 23:32:00 UTC (import -addon v0.11.2 arm64, verified)',
		);
	});

	it('stays available when the integration did not verify', () => {
		const text = renderHistory([integrated(false), clobbered]);
		expect(undoLineOf(text, 'cluster-create v0.11.2 amd64')).toBe(
			'  undo: available (addon-wizard undo --run run-20261207-233117-992 --step 1)',
		);
	});
});
