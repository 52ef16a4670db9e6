import {describe, expect, it} from 'vitest';
import {readHints, readYaml} from '../../../source/domain/packages/resolve-hints.js';

const hints = '- "{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag }}"\n';

/** Ten levels of nine aliases each: 9^10 nodes if expanded. */
const aliasBomb = [
	'a: &a ["x","x","x","x","x","x","x","x","x"]',
	...Array.from({length: 9}, (_, level) => {
		const name = String.fromCodePoint(98 + level);
		return `${name}: &${name} [${Array.from({length: 9}, () => `*${String.fromCodePoint(97 + level)}`).join(',')}]`;
	}),
].join('\n');

describe('readHints', () => {
	it('resolves through values that use anchors and merge keys, as chart values do', () => {
		const values = 'defaults: &defaults\n  registry: release.daocloud.io\n  tag: v1\nimage:\n  <<: *defaults\n  repository: kpanda/foo\n';
		expect(readHints(hints, values)).toEqual({refs: ['release.daocloud.io/kpanda/foo:v1'], problems: []});
	});

	it('stops an alias bomb in values.yaml at once and says so', () => {
		const started = Date.now();
		const read = readHints(hints, `${aliasBomb}\nimage:\n  registry: r\n  repository: x\n  tag: "1"\n`);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(read.refs).toEqual([]);
		expect(read.problems).toEqual([expect.stringMatching(/^values\.yaml: too many YAML aliases/)]);
	});

	it('says which file is not YAML, and gives no refs for hints that are not a list', () => {
		expect(readHints('- "{{ .a }}"\n', 'image: [unclosed\n').problems).toEqual([expect.stringMatching(/^values\.yaml: not valid YAML/)]);
		expect(readHints('key: value\n', undefined)).toEqual({refs: [], problems: []});
		expect(readHints(undefined, undefined)).toEqual({refs: [], problems: []});
	});
});

describe('readYaml', () => {
	it('reads a few aliases, refuses a flood of them, and rejects several documents', () => {
		expect(readYaml('a: &x 1\nb: *x\nc: *x\n').value).toEqual({a: 1, b: 1, c: 1});
		expect(readYaml(aliasBomb).problem).toMatch(/too many YAML aliases/);
		expect(readYaml('a: 1\n---\nb: 2\n').problem).toMatch(/not valid YAML/);
	});
});
