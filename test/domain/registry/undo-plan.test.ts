// The undo decision per tag: now vs what the step left vs what was saved before it.
import {describe, expect, it} from 'vitest';
import {manifestReferences, type SavedTag} from '../../../source/domain/registry/tag-snapshot.js';
import {planTag, undoRefusal, type TagNow} from '../../../source/domain/registry/undo-plan.js';

const list = {
	digest: 'sha256:aaa',
	mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
	bytes: '',
	arches: ['amd64', 'arm64'],
	references: {manifests: ['sha256:c1', 'sha256:c2'], blobs: []},
};
const saved = (after?: string | 'absent', before: SavedTag['before'] = list): SavedTag => ({repository: 'r', tag: 't', before, after});
const present = (digest: string): TagNow => ({kind: 'present', digest});
const options = {force: false, removeAdded: false};

describe('planTag', () => {
	it('restores a tag the step overwrote, and calls one that holds the saved list again already back', () => {
		expect(planTag(saved('sha256:step'), present('sha256:step'), options).action).toBe('restore');
		expect(planTag(saved('sha256:step'), present('sha256:aaa'), options).action).toBe('already-restored');
		expect(planTag(saved('sha256:aaa'), present('sha256:aaa'), options).action).toBe('unchanged');
	});

	it('leaves a tag someone else pushed alone unless forced', () => {
		expect(planTag(saved('sha256:step'), present('sha256:theirs'), options).action).toBe('changed-by-someone-else');
		expect(planTag(saved('sha256:step'), present('sha256:theirs'), {...options, force: true}).action).toBe('restore');
	});

	it('takes now for the step when the step was not read after, and says so', () => {
		expect(planTag(saved(undefined), present('sha256:x'), options)).toMatchObject({action: 'restore', afterUnknown: true});
	});

	it('lists what the step added, and deletes it only with --remove-added', () => {
		expect(planTag(saved('sha256:new', 'absent'), present('sha256:new'), options).action).toBe('added-by-step');
		expect(planTag(saved('sha256:new', 'absent'), present('sha256:new'), {...options, removeAdded: true}).action).toBe('remove-added');
		expect(planTag(saved('absent', 'absent'), {kind: 'absent'}, options).action).toBe('unchanged');
	});

	it('refuses the whole undo when a saved manifest points to content that is gone, or a tag cannot be read', () => {
		const gone = planTag(saved('sha256:step'), present('sha256:step'), options, ['sha256:c1']);
		expect(gone).toMatchObject({action: 'content-gone', missing: ['sha256:c1']});
		const fine = planTag(saved('sha256:step'), present('sha256:step'), options);
		expect(undoRefusal([fine, gone])).toMatchObject({kind: 'undo-content-gone', exitCode: 6});
		expect(undoRefusal([fine])).toBeUndefined();
		expect(undoRefusal([planTag(saved('sha256:step'), {kind: 'unreadable', message: '403'}, options)])).toMatchObject({
			kind: 'undo-tag-unreadable',
		});
	});
});

describe('manifestReferences', () => {
	it("names a list's children (attestations too) and an image's config and layers", () => {
		expect(manifestReferences(JSON.stringify({manifests: [{digest: 'sha256:a'}, {digest: 'sha256:att'}]}))).toEqual({
			manifests: ['sha256:a', 'sha256:att'],
			blobs: [],
		});
		expect(
			manifestReferences(JSON.stringify({config: {digest: 'sha256:c'}, layers: [{digest: 'sha256:l1'}, {digest: 'sha256:l2'}]})),
		).toEqual({
			manifests: [],
			blobs: ['sha256:c', 'sha256:l1', 'sha256:l2'],
		});
	});
});
