// Installer output is data: a line that would retitle the pane, wipe it, ask the terminal to type
// a reply or write the clipboard reaches the screen and the log as visible text.
import {describe, expect, it} from 'vitest';
import {sanitizeLine, showControls} from '../../../source/domain/shared/sanitize-output.js';

describe('sanitizeLine', () => {
	it.each([
		['an OSC 0 title', '\u001B]0;pwned\u0007ok', String.raw`\e]0;pwned\aok`],
		['a full reset', '\u001Bcafter', String.raw`\ecafter`],
		['a clear screen', 'a\u001B[2Jb', String.raw`a\e[2Jb`],
		['a cursor position request (the terminal would type a reply)', '\u001B[6n', String.raw`\e[6n`],
		['an OSC 52 clipboard write', '\u001B]52;c;aGVsbG8=\u0007', String.raw`\e]52;c;aGVsbG8=\a`],
		['a C1 CSI', 'x\u009B2Jy', String.raw`x\x9b2Jy`],
		['a carriage return mid-line', '50%\r100%', String.raw`50%\r100%`],
		['a backspace and a bell', 'a\bb\u0007', String.raw`a\bb\a`],
	])('shows %s as text', (_name, line, shown) => {
		expect(sanitizeLine(line)).toBe(shown);
		expect(sanitizeLine(line)).not.toMatch(/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/);
	});

	it('drops colour (kubean colours its [info] prefix) so the line still reads, and parses, as [info]', () => {
		expect(sanitizeLine('\u001B[32m[info]\u001B[0m import image from oci:offline-images:a/b:v1 to r/a/b:v1-arm64')).toBe(
			'[info] import image from oci:offline-images:a/b:v1 to r/a/b:v1-arm64',
		);
	});

	it('leaves a plain line, tabs and Chinese untouched', () => {
		expect(sanitizeLine('镜像推送\t完成 ✓')).toBe('镜像推送\t完成 ✓');
	});
});

describe('showControls', () => {
	it('escapes control characters in a file name, including a line break', () => {
		expect(showControls('/srv/odd\nname\u001B[2J.tar.gz')).toBe(String.raw`/srv/odd\nname\e[2J.tar.gz`);
	});
});
