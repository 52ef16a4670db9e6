#!/usr/bin/env node
// A stand-in for addon-wizard that speaks the v1 contract the addon_wizard role relies on, so the
// role's decisions (exit codes, outcomes, hazards, the result file, a CLI that predates the
// contract) are tested without a registry; the real CLI is driven by ansible-fleet.e2e.test.ts.
// DOUBLE_SCENARIO picks the behaviour; DOUBLE_STATE is a file that exists once a run succeeded
// (the registry then holds everything), and DOUBLE_STATE.calls logs every call's arguments.
import {appendFileSync, existsSync, writeFileSync} from 'node:fs';
import process from 'node:process';

const [command, ...args] = process.argv.slice(2);
const state = process.env.DOUBLE_STATE;
const scenario = process.env.DOUBLE_SCENARIO ?? 'ok';
appendFileSync(`${state}.calls`, `${JSON.stringify([command, ...args])}\n`);
const document = (kind, body) => ({apiVersion: 'addon-wizard/v1', kind, ...body});
const print = (doc, pretty = false) => console.log(JSON.stringify(doc, null, pretty ? 2 : undefined));
const accepted = args.filter(arg => arg.startsWith('--accept=')).map(arg => arg.slice('--accept='.length));
const hazards =
	scenario === 'hazard'
		? [{id: 'below-0.12-single-arch', message: '3 multi-arch tags turn amd64-only', accepted: accepted.includes('below-0.12-single-arch')}]
		: [];

function plan() {
	if (scenario === 'before-v1') {
		print({preflight: [], baselines: []}, true);
		return 0;
	}

	if (scenario === 'bad-input') {
		print(document('Error', {error: {id: 'package-missing', message: '-p /x.tar.gz: no such file', hint: 'check the path'}, exitCode: 2}));
		return 2;
	}

	const changed = !existsSync(state);
	const summary = changed ? 'changes pending: 3 tags to add' : 'nothing to change: the registry holds all 3 tags';
	print(document('Plan', {changed, summary, blocked: false, findings: [], hazards}), true);
	return changed ? 8 : 0;
}

function runResult() {
	if (hazards.some(hazard => !hazard.accepted)) {
		return {outcome: 'refused', exitCode: 3, changed: false, summary: 'refused before anything changed', steps: []};
	}

	if (scenario === 'installer-fails') {
		print(document('RunEvent', {event: 'step-start'}));
		return {
			outcome: 'failed',
			exitCode: 4,
			changed: true,
			summary: 'step 1 failed: the installer exited 1',
			steps: [],
			nextStep: 'read the log',
		};
	}

	print(document('RunEvent', {event: 'step-start'}));
	writeFileSync(state, '');
	return {
		outcome: 'succeeded',
		exitCode: 0,
		changed: true,
		summary: 'imported 1 package',
		steps: [{index: 1, title: 'import', outcome: 'ok', verified: true}],
	};
}

function run() {
	print(document('Plan', {changed: true}));
	const result = document('RunResult', {...runResult(), config: 'clusterConfig.yaml', hazards});
	const file = args.find(arg => arg.startsWith('--result-file='))?.slice('--result-file='.length);
	if (file) {
		writeFileSync(file, JSON.stringify(result));
	}

	// `result-file-only`: stdout lost its last line; the role must read the file.
	if (scenario !== 'result-file-only') {
		print(result);
	}

	return result.exitCode;
}

const commands = {
	plan,
	run,
	verify: () => (print(document('Verification', {verified: true, message: 'every image is at its tag'}), true), 0),
};
process.exitCode = commands[command]?.() ?? 1;
