import {describe, expect, it} from 'vitest';
import {challengeScopes, chooseChallenge, parseAuthChallenges} from '../../../source/domain/registry/auth-challenge.js';

describe('WWW-Authenticate', () => {
	it("reads distribution's Bearer challenge with a quoted scope holding a colon and a slash", () => {
		const [challenge] = parseAuthChallenges(
			'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:release.daocloud.io/kpanda/foo:pull"',
		);
		expect(challenge).toEqual({
			scheme: 'bearer',
			params: {
				realm: 'https://auth.example.com/token',
				service: 'registry.example.com',
				scope: 'repository:release.daocloud.io/kpanda/foo:pull',
			},
		});
	});

	it('keeps commas and escaped quotes inside quoted values, and reads several scopes and an error', () => {
		const [challenge] = parseAuthChallenges(
			String.raw`Bearer realm="https://h/token?a=1,b=2", scope="repository:a:pull,push repository:b:pull", error="insufficient_scope", note="say \"hi\""`,
		);
		expect(challenge!.params['realm']).toBe('https://h/token?a=1,b=2');
		expect(challengeScopes(challenge!)).toEqual(['repository:a:pull,push', 'repository:b:pull']);
		expect(challenge!.params['error']).toBe('insufficient_scope');
		expect(challenge!.params['note']).toBe('say "hi"');
	});

	it('splits several challenges in one header and prefers Bearer', () => {
		const challenges = parseAuthChallenges('Basic realm="harbor", Bearer realm="https://h/service/token",service="harbor-registry"');
		expect(challenges.map(item => item.scheme)).toEqual(['basic', 'bearer']);
		expect(challenges[0]!.params).toEqual({realm: 'harbor'});
		expect(chooseChallenge(challenges)?.params['service']).toBe('harbor-registry');
	});

	it('reads unquoted values, odd spacing and case, and a token68', () => {
		expect(parseAuthChallenges('BASIC  Realm = test-registry')).toEqual([{scheme: 'basic', params: {realm: 'test-registry'}}]);
		expect(parseAuthChallenges('Negotiate dGVzdA==, Basic realm="x"')).toEqual([
			{scheme: 'negotiate', params: {}, token68: 'dGVzdA=='},
			{scheme: 'basic', params: {realm: 'x'}},
		]);
	});

	it('answers nothing for an empty or unreadable header', () => {
		expect(parseAuthChallenges(undefined)).toEqual([]);
		expect(parseAuthChallenges('')).toEqual([]);
		expect(parseAuthChallenges('"quoted"')).toEqual([]);
		expect(chooseChallenge([])).toBeUndefined();
	});
});
