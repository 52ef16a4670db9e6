// The Registry section's words when the registry was not read: where the cluster's arches came
// from, said as a sentence also when nothing named any.
import {expect, it} from 'vitest';
import {reviewRegistry} from '../../../source/domain/plan/registry-review.js';
import {registryLines} from '../../../source/report/registry/registry-text.js';

const unread = {kind: 'registry-unreachable', message: 'Cannot reach the registry.', hint: 'Check it.', exitCode: 3};

it('says the cluster’s arches are unknown, and why, when nothing names any', () => {
	const review = reviewRegistry({facts: {location: unread, history: []}, steps: [], flagArches: [], configArches: []});
	const text = registryLines(review)
		.map(line => line.text)
		.join('\n');
	expect(text).toMatch(/the cluster's arches are unknown \(.+\); the wizard's history has no run of this cluster\./);
	expect(text).not.toContain('unknown come from');
});

it('names them and where they came from when the config does', () => {
	const review = reviewRegistry({facts: {location: unread, history: []}, steps: [], flagArches: [], configArches: ['amd64']});
	const text = registryLines(review)
		.map(line => line.text)
		.join('\n');
	expect(text).toContain("the cluster's arches amd64 come from ");
});

it('says the history could not be read, never that it holds no run, when reading it failed', () => {
	const review = reviewRegistry({
		facts: {location: unread, history: [], historyProblem: "the wizard's history could not be read (ENOTDIR: not a directory)"},
		steps: [],
		flagArches: [],
		configArches: ['amd64'],
	});
	const text = registryLines(review)
		.map(line => line.text)
		.join('\n');
	expect(text).toContain("; the wizard's history could not be read (ENOTDIR: not a directory).");
	expect(text).not.toContain('has no run');
});
