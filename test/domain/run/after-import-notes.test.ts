import {describe, expect, it} from 'vitest';
import {notesAfterRun} from '../../../source/domain/run/after-import-notes.js';

describe('notesAfterRun', () => {
	it('asks for "sync repository" after a successful import only', () => {
		expect(notesAfterRun({ok: true}).map(note => note.id)).toEqual(['sync-chart-repository']);
		expect(notesAfterRun({ok: true})[0]!.message).toContain('"sync repository"');
		expect(notesAfterRun({ok: false})).toEqual([]);
		expect(notesAfterRun(undefined)).toEqual([]);
	});
});
