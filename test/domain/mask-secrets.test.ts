import {describe, expect, it} from 'vitest';
import {secretMasker} from '../../source/domain/mask-secrets.js';

describe('secretMasker', () => {
	it('masks a long password wherever it appears, also inside other text', () => {
		const mask = secretMasker(['Harbor12345']);
		expect(mask('login admin:Harbor12345@harbor, pwHarbor12345x')).toBe('login admin:********@harbor, pw********x');
	});

	it('masks a short password where it stands as a value, and leaves words that contain it alone', () => {
		const mask = secretMasker(['ab1']);
		expect(mask('externalImageRepoPassword: ab1')).toBe('externalImageRepoPassword: ********');
		expect(mask('pull https://admin:ab1@harbor.example.com/v2/')).toBe('pull https://admin:********@harbor.example.com/v2/');
		expect(mask('{"password":"ab1"}')).toBe('{"password":"********"}');
		expect(mask('--password=ab1 done')).toBe('--password=******** done');
		expect(mask('syncing lab123 and cab1 charts')).toBe('syncing lab123 and cab1 charts');
	});

	it('masks a short password made of symbols, in its URL spelling too', () => {
		const mask = secretMasker(['a@b']);
		expect(mask('user:a%40b@host')).toBe('user:********@host');
		expect(mask('password a@b')).toBe('password ********');
	});

	it('changes nothing when there is no password, and ignores empty ones', () => {
		const mask = secretMasker(['']);
		expect(mask('nothing to hide')).toBe('nothing to hide');
	});
});
