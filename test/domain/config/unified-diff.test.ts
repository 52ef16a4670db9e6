import {describe, expect, it} from 'vitest';
import {unifiedDiff} from '../../../source/domain/config/unified-diff.js';

describe('unifiedDiff', () => {
	it('shows one changed line with three lines of context and correct hunk ranges', () => {
		const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n') + '\n';
		const after = before.replace('e\n', 'E\n');
		expect(unifiedDiff(before, after, 'x.yaml')).toBe('--- a/x.yaml\n+++ b/x.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n');
	});

	it('is empty when nothing changed', () => {
		expect(unifiedDiff('a\n', 'a\n', 'x')).toBe('');
	});
});
