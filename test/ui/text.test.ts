// Text laid out for fixed-width rows: what an operator reads, and what they paste into a shell.
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {bar, shellLines, wrapText} from '../../source/ui/text.js';

describe('wrapText', () => {
	it("wraps at spaces, keeps a paragraph's indentation on every line, and breaks only words longer than a line", () => {
		expect(wrapText('    path: /a/very/long/path/name and more', 16)).toEqual([
			'    path:',
			'    /a/very/long',
			'    /path/name',
			'    and more',
		]);
	});

	it('counts terminal columns, not UTF-16 units: Chinese takes two columns, and no line is wider than asked', () => {
		const text = '[Error]:[Error] 镜像推送失败：仓库空间 localhost 不存在，请先创建该空间后再重试 addon-offline-target-package';
		const lines = wrapText(text, 30);
		expect(lines.every(line => stringWidth(line) <= 30)).toBe(true);
		expect(lines.join(' ').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
		// An emoji with a modifier is one character on screen: it is never split.
		expect(wrapText('👍🏽👍🏽👍🏽', 4)).toEqual(['👍🏽👍🏽', '👍🏽']);
	});
});

describe('shellLines', () => {
	it('keeps whole arguments on a line and joins lines with backslash continuations a shell accepts', () => {
		const lines = shellLines(
			['$', '/root/dce5-installer', 'cluster-create', '-c', '/root/offline/sample/clusterConfig.yaml', '-d', '-j13'],
			46,
		);
		expect(lines).toEqual(['$ /root/dce5-installer cluster-create -c \\', '  /root/offline/sample/clusterConfig.yaml -d \\', '  -j13']);
		expect(lines.every(line => line.length <= 46)).toBe(true);
		// Pasted into a shell, the continuations give back the argument list.
		expect(lines.join('\n').replaceAll(' \\\n', ' ').split(/\s+/).filter(Boolean)).toEqual([
			'$',
			'/root/dce5-installer',
			'cluster-create',
			'-c',
			'/root/offline/sample/clusterConfig.yaml',
			'-d',
			'-j13',
		]);
	});
});

describe('bar', () => {
	it('clamps an estimate that ran over, and draws nothing filled for a missing value', () => {
		expect(bar(1.4, 5, '#', '-')).toBe('#####');
		expect(bar(Number.NaN, 5, '#', '-')).toBe('-----');
		expect(bar(0.5, 4, '#', '-')).toBe('##--');
	});
});
