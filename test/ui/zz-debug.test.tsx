import {cleanup} from 'ink-testing-library';
import {it} from 'vitest';
import {keys, makePlan, onReview, sleep} from '../helpers/fake-ports.js';

it('debug', async () => {
	const harness = await onReview(makePlan({findings: [{code: 'downgrade', severity: 'warning', message: 'x'}, {code: 'downgrade', severity: 'warning', message: 'y'},{code: 'downgrade', severity: 'warning', message: 'z'},{code: 'downgrade', severity: 'warning', message: 'w'},{code: 'downgrade', severity: 'warning', message: 'v'},{code: 'downgrade', severity: 'warning', message: 'u'}], diffs: {registrySpaces: {mustExist: ['a'], alreadyUsed: []}, charts: [], multiArchImages: []}}), 'Disk space');
	console.log(harness.frame().split('\n').length + '\n' + harness.frame());
	harness.press(keys.pageDown);
	await sleep(200);
	console.log(harness.frame());
	harness.press('j');
	await sleep(200);
	console.log(harness.frame());
	cleanup();
});
