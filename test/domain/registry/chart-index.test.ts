import {describe, expect, it} from 'vitest';
import {parse, stringify} from 'yaml';
import {ChartIndexReader, readChartIndex} from '../../../source/domain/registry/chart-index.js';

type Entry = Record<string, unknown>;

function makeIndex(charts: Record<string, Entry[]>) {
	return {apiVersion: 'v1', entries: charts, generated: '2026-12-01T10:00:00Z', serverInfo: {contextPath: '/'}};
}

const tricky: Record<string, Entry[]> = {
	'dao-2048': [
		{
			apiVersion: 'v2',
			name: 'dao-2048',
			version: '1.4.1',
			description: 'line one\nentries:\n  fake-chart:\n  - version: 9.9.9\n',
			urls: ['charts/dao-2048-1.4.1.tgz'],
		},
		{apiVersion: 'v2', name: 'dao-2048', version: '1.10', description: 'a: colon, and # not a comment'},
	],
	'metrics-server': [{apiVersion: 'v2', name: 'metrics-server', version: '3.8.3', annotations: {category: 'monitoring', 'x/y': '1'}}],
	'"quoted"': [{name: '"quoted"', version: '0.1.0'}],
	'empty-chart': [],
};

/** Go's encoder: sequences not indented under their key (what Helm, ChartMuseum and Harbor write). */
const goStyle = (value: unknown) => stringify(value, {indentSeq: false, lineWidth: 0});

function versionsByWholeParse(text: string): Map<string, string[]> {
	const document = parse(text, {schema: 'failsafe'}) as {entries: Record<string, Array<{version: string}>>};
	return new Map(Object.entries(document.entries).map(([name, list]) => [name, list.map(entry => entry.version)]));
}

describe('index.yaml reader', () => {
	it('reads Go-style output chart by chart and agrees with a whole parse, keeping 1.10 a string', () => {
		const text = goStyle(makeIndex(tricky));
		const result = readChartIndex(text);
		expect(result).toMatchObject({ok: true, layout: 'streamed'});
		if (!result.ok) {
			return;
		}

		expect(result.charts).toEqual(versionsByWholeParse(text));
		expect(result.charts.get('dao-2048')).toEqual(['1.4.1', '1.10']);
		expect(result.charts.has('fake-chart')).toBe(false);
	});

	it('gives the same answer however the text is cut into chunks, with CRLF line ends too', () => {
		const text = goStyle(makeIndex(tricky)).replaceAll('\n', '\r\n');
		for (const size of [1, 7, 64, 4096]) {
			const reader = new ChartIndexReader();
			for (let offset = 0; offset < text.length; offset += size) {
				reader.push(text.slice(offset, offset + size));
			}

			const result = reader.end();
			expect(result.ok && result.charts.get('dao-2048')).toEqual(['1.4.1', '1.10']);
			expect(result.ok && result.charts.get('metrics-server')).toEqual(['3.8.3']);
		}
	});

	it('reads indented sequences and comments between charts', () => {
		const text = stringify(makeIndex(tricky), {indentSeq: true}).replace(
			'  metrics-server:',
			'  # a comment\n# another\n  metrics-server:',
		);
		const result = readChartIndex(text);
		expect(result.ok && result.charts).toEqual(versionsByWholeParse(text));
	});

	it('parses an index written as JSON whole', () => {
		const text = JSON.stringify(makeIndex(tricky));
		const result = readChartIndex(text);
		expect(result).toMatchObject({ok: true, layout: 'whole'});
		expect(result.ok && result.charts.get('dao-2048')).toEqual(['1.4.1', '1.10']);
	});

	it('reads an empty repository', () => {
		expect(readChartIndex('apiVersion: v1\nentries: {}\ngenerated: x\n')).toEqual({
			ok: true,
			charts: new Map(),
			layout: 'streamed',
			parsedBlocks: 0,
		});
		expect(readChartIndex('apiVersion: v1\nentries:\ngenerated: x\n')).toEqual({
			ok: true,
			charts: new Map(),
			layout: 'streamed',
			parsedBlocks: 0,
		});
	});

	it('names the line of a chart whose block does not parse', () => {
		const result = readChartIndex('apiVersion: v1\nentries:\n  good:\n  - version: 1.0.0\n  bad:\n  - version: "1.0\n');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(/^index\.yaml line 5: /);
	});

	it('reads a 9 MB index of 200 charts × 100 versions fed in 64 KiB chunks', () => {
		const charts: Record<string, Entry[]> = {};
		for (let chart = 0; chart < 200; chart++) {
			charts[`chart-${chart}`] = Array.from({length: 100}, (_, version) => ({
				apiVersion: 'v2',
				name: `chart-${chart}`,
				version: `1.${version}.0`,
				digest: 'a'.repeat(64),
				description: 'x'.repeat(300),
				urls: [`charts/chart-${chart}-1.${version}.0.tgz`],
			}));
		}

		const text = goStyle(makeIndex(charts));
		expect(text.length).toBeGreaterThan(9_000_000);
		const reader = new ChartIndexReader();
		for (let offset = 0; offset < text.length; offset += 65_536) {
			reader.push(text.slice(offset, offset + 65_536));
		}

		const result = reader.end();
		expect(result.ok && result.charts.size).toBe(200);
		expect(result.ok && result.charts.get('chart-199')?.length).toBe(100);
		// Plain Go output: every chart read line by line, none needed the YAML parser.
		expect(result.ok && result.parsedBlocks).toBe(0);
	});

	it('reads line by line only what it can be sure of, and agrees with a whole parse on everything else', () => {
		const variants: Array<[string, string]> = [
			['go style', goStyle(makeIndex(tricky))],
			['version with a comment', 'entries:\n  a:\n  - name: a\n    version: 1.0.0 # rc\n'],
			['quoted version', 'entries:\n  a:\n  - name: a\n    version: "1.0.0"\n  - version: \'2.0.0\'\n    name: a\n'],
			['anchor and alias', 'entries:\n  a:\n  - version: &v 1.0.0\n  - version: *v\n'],
			[
				'nested version in dependencies',
				'entries:\n  a:\n  - name: a\n    dependencies:\n    - name: b\n      version: 9.9.9\n    version: 1.0.0\n',
			],
			['entry without a version', 'entries:\n  a:\n  - name: a\n  - name: a\n    version: 1.0.0\n'],
			['block scalar entry', 'entries:\n  a:\n  - |\n    version: 9\n  - version: 1.0.0\n'],
			['flow entry', 'entries:\n  a:\n  - {name: a, version: 1.2.3}\n'],
			['indented sequence', 'entries:\n  a:\n    - name: a\n      version: 1.0.0\n'],
			['block description looking like keys', 'entries:\n  a:\n  - description: |\n      version: 9.9.9\n    version: 1.0.0\n'],
		];
		for (const [label, text] of variants) {
			const result = readChartIndex(text);
			const expected = new Map(
				[...versionsByWholeParse(text)].map(([name, versions]) => [name, versions.filter(version => typeof version === 'string')]),
			);
			expect(result.ok && result.charts, label).toEqual(expected);
		}
	});
});
