// Versions are ordered on their parsed data, without the `semver` package's compare: the order must
// be that package's (semver 2.0 precedence), pre-releases and numeric identifiers included.
import compare from 'semver/functions/compare.js';
import {describe, expect, it} from 'vitest';
import {compareSemver, parseSemver} from '../../../source/domain/shared/semver.js';

const versions = [
	'0.9.5',
	'v0.12.5',
	'0.12.10',
	'0.13.0-rc1',
	'0.13.0-rc2',
	'0.13.0-rc10',
	'0.13.0-rc.2',
	'0.13.0-rc.10',
	'0.13.0-rc.2.1',
	'0.13.0-2',
	'0.13.0-10',
	'0.13.0-alpha',
	'0.13.0-alpha.beta',
	'0.13.0',
	'1.0.0',
	'1.0.0-0',
	'1.0.0-a.1',
	'1.0.0-a.b',
	'1.0.0-A',
	'10.0.0',
	'2.10.3',
	'2.9.30',
];

describe('compareSemver', () => {
	it.each(versions.flatMap(a => versions.map(b => [a, b] as const)))('orders %s against %s as semver does', (a, b) => {
		expect(compareSemver(parseSemver(a)!, parseSemver(b)!)).toBe(compare(a, b));
	});
});
