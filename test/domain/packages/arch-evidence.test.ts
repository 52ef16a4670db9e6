import {describe, expect, it} from 'vitest';
import {weighArchEvidence} from '../../../source/domain/packages/arch-evidence.js';

describe('weighArchEvidence: confirmedByContents', () => {
	it('is true only for a complete package whose image configs name one arch that every other source shares', () => {
		expect(weighArchEvidence('arm64', ['arm64', 'aarch64'], 'arm64', true).arch).toMatchObject({
			agreed: 'arm64',
			confirmedByContents: true,
		});
		expect(weighArchEvidence(undefined, ['amd64'], undefined, true).arch).toMatchObject({agreed: 'amd64', confirmedByContents: true});
	});

	it('is false when the package is damaged or unread, however well the configs read agree', () => {
		expect(weighArchEvidence('arm64', ['arm64'], 'arm64', false).arch).toMatchObject({agreed: 'arm64', confirmedByContents: false});
	});

	it('is false when no image config gave an arch, when configs disagree, or when a source disagrees', () => {
		expect(weighArchEvidence('arm64', [], 'arm64', true).arch).toMatchObject({agreed: 'arm64', confirmedByContents: false});
		expect(weighArchEvidence('arm64', ['arm64', 'amd64'], undefined, true).arch.confirmedByContents).toBe(false);
		expect(weighArchEvidence('amd64', ['arm64'], undefined, true).arch).toMatchObject({agreed: undefined, confirmedByContents: false});
	});
});
