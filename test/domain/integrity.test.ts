import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {judgeIntegrity, parseChecksumFile} from '../../source/domain/integrity.js';
import {parsePackageName} from '../../source/domain/package-name.js';
import {findPublishedChecksum, publishedChecksums} from '../../source/domain/published-checksums.js';

// The download pages' values, as the domain reference copied them (an excerpt kept in the repo).
const reference = readFileSync(new URL('../fixtures/published-checksums-reference.md', import.meta.url), 'utf8');

describe('published checksums', () => {
	it('holds every published package from v0.5.2 to v0.27.0, each a full sha512 found in the reference', () => {
		expect(publishedChecksums).toHaveLength(56);
		for (const item of publishedChecksums) {
			expect(item.sha512).toMatch(/^[\da-f]{128}$/);
			expect(reference).toContain(item.sha512);
		}
	});

	it('finds a package by version, kind and arch', () => {
		expect(findPublishedChecksum('v0.12.0', 'full', 'amd64')?.sha512).toMatch(/^e253e1ed8ac7/);
		expect(findPublishedChecksum('0.27.0', 'gpu', 'amd64')?.sha512).toMatch(/^d436df805e8c/);
		expect(findPublishedChecksum('v0.27.0', 'gpu', 'arm64')).toBeUndefined();
	});
});

describe('judgeIntegrity', () => {
	const name = parsePackageName('addon-offline-full-package-v0.11.0-arm64.tar.gz')!;
	const published = findPublishedChecksum('v0.11.0', 'full', 'arm64')!.sha512;

	it('verifies a package whose sha512 matches the download page', () => {
		expect(judgeIntegrity(published, name).integrity.state).toBe('verified');
	});

	it('rejects a published version whose sha512 differs, showing both', () => {
		const verdict = judgeIntegrity('a'.repeat(128), name);
		expect(verdict.integrity.state).toBe('mismatch');
		expect(verdict.findings[0]).toMatchObject({code: 'checksum-mismatch', severity: 'error'});
		expect(verdict.findings[0]!.message).toContain(published.slice(0, 12));
	});

	it('has nothing to say about an unpublished version beyond "unknown"', () => {
		const unpublished = parsePackageName('addon-offline-full-package-v0.11.5-arm64.tar.gz')!;
		expect(judgeIntegrity('a'.repeat(128), unpublished).integrity.state).toBe('unknown');
	});
});

describe('parseChecksumFile', () => {
	const hash = 'ab'.repeat(64);
	it.each([
		[`${hash}  pkg.tar.gz`, hash],
		[`${hash} *pkg.tar.gz`, hash],
		[`SHA512 (pkg.tar.gz) = ${hash}`, hash],
		[hash, hash],
		[`${hash}  other.tar.gz`, undefined],
	])('reads %s', (text, expected) => {
		expect(parseChecksumFile(text, 'pkg.tar.gz')).toBe(expected);
	});
});
