// A step's preconditions alone, faking only the files, the config edit and the clock they use.
import {describe, expect, it} from 'vitest';
import type {ConfigEdit} from '../../../source/domain/config/config-facts.js';
import type {RunEvent} from '../../../source/domain/run/run-events.js';
import type {RunLog} from '../../../source/workflow/ports/run-log-port.js';
import {checkPackages, writeConfig, type WriteConfigDeps} from '../../../source/workflow/run/step-preconditions.js';
import {makePlan, makeStep} from '../../helpers/fake-ports.js';

const edit = {
	path: '/root/offline/sample/clusterConfig.yaml',
	newText: 'new',
	newTextSha256: 'x',
	newPaths: ['/srv/p1.tar.gz'],
} as unknown as ConfigEdit;

function sinks() {
	const events: RunEvent[] = [];
	const notes: string[] = [];
	return {
		events,
		notes,
		context: {emit: (event: RunEvent) => events.push(event), log: {note: (text: string) => notes.push(text)} as unknown as RunLog},
	};
}

describe('checkPackages', () => {
	it('refuses a package that is gone, naming it', async () => {
		const step = makeStep(0);
		const problem = await checkPackages(makePlan(), step, {stat: async () => undefined, canWriteDir: async () => true});
		expect(problem).toMatchObject({kind: 'package-changed', message: expect.stringContaining(step.packagePath) as string});
	});

	it('refuses a working directory the installer cannot write', async () => {
		const problem = await checkPackages(makePlan(), makeStep(0), {
			stat: async () => ({size: 1, mtimeMs: 1}),
			canWriteDir: async () => false,
		});
		expect(problem).toMatchObject({kind: 'workdir-not-writable'});
	});
});

describe('writeConfig', () => {
	it('writes the edit, says where the backup is, and returns it for a later restore', async () => {
		const {events, notes, context} = sinks();
		const deps: WriteConfigDeps = {
			files: {readText: async () => 'old'},
			config: {apply: async () => ({backupPath: '/b'})},
			clock: {now: () => 7},
		};
		expect(await writeConfig(makeStep(0, {configEdit: edit}), context, deps)).toEqual({edit, backupPath: '/b'});
		expect(events).toEqual([{type: 'config-written', at: 7, path: edit.path, backupPath: '/b', stepId: 'step-1'}]);
		expect(notes).toEqual([`wrote ${edit.path} (spec.addonPackage.path = /srv/p1.tar.gz); backup /b`]);
	});

	it('leaves a config a previous try already wrote alone', async () => {
		const {events, context} = sinks();
		const deps: WriteConfigDeps = {
			files: {readText: async () => 'new'},
			config: {apply: async () => ({backupPath: '/b'})},
			clock: {now: () => 7},
		};
		expect(await writeConfig(makeStep(0, {configEdit: edit}), context, deps)).toBeUndefined();
		expect(events).toEqual([]);
	});
});
