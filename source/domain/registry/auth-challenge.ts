// Parses `WWW-Authenticate` (RFC 7235 §4.1): one or more challenges, each a scheme followed by
// either a token68 or comma-separated `name=value` parameters whose values may be quoted strings
// with backslash escapes. Registries send `Basic realm="…"` or
// `Bearer realm="…",service="…",scope="repository:a/b:pull",error="insufficient_scope"`; the
// commas inside quoted scopes and several challenges in one header are why a split on "," is wrong.

export type AuthChallenge = {
	/** Lower case: `basic`, `bearer`, … */
	scheme: string;
	/** Parameter names in lower case. */
	params: Record<string, string>;
	token68?: string;
};

const tokenChar = /[!#$%&'*+\-.^_`|~\dA-Za-z]/;
const token68Pattern = /^[\dA-Za-z\-._~+/]+=*/;

class Cursor {
	index = 0;
	constructor(readonly text: string) {}

	get done(): boolean {
		return this.index >= this.text.length;
	}

	skipSpace(): void {
		while (!this.done && (this.text[this.index] === ' ' || this.text[this.index] === '\t')) {
			this.index++;
		}
	}

	skipSeparators(): void {
		while (!this.done && /[\s,]/.test(this.text[this.index]!)) {
			this.index++;
		}
	}

	readToken(): string {
		const start = this.index;
		while (!this.done && tokenChar.test(this.text[this.index]!)) {
			this.index++;
		}

		return this.text.slice(start, this.index);
	}

	readQuoted(): string {
		let value = '';
		this.index++;
		while (!this.done) {
			const char = this.text[this.index++]!;
			if (char === '"') {
				return value;
			}

			value += char === '\\' && !this.done ? this.text[this.index++]! : char;
		}

		return value;
	}

	peek(offset = 0): string | undefined {
		return this.text[this.index + offset];
	}
}

/** Reads `name = value` when the cursor is at one; otherwise leaves it where it was. */
function readParam(cursor: Cursor): [string, string] | undefined {
	const start = cursor.index;
	const name = cursor.readToken();
	cursor.skipSpace();
	if (!name || cursor.peek() !== '=') {
		cursor.index = start;
		return undefined;
	}

	cursor.index++;
	cursor.skipSpace();
	const value = cursor.peek() === '"' ? cursor.readQuoted() : cursor.readToken();
	return [name.toLowerCase(), value];
}

function readChallengeBody(cursor: Cursor, challenge: AuthChallenge): void {
	// A token68 ends the challenge (`Basic dXNlcg==`); `realm="x"` or `realm=x` leaves text after the match.
	const token68 = token68Pattern.exec(cursor.text.slice(cursor.index));
	const rest = token68 ? cursor.text.slice(cursor.index + token68[0].length).trimStart() : undefined;
	if (token68 && (rest === '' || rest?.startsWith(','))) {
		challenge.token68 = token68[0];
		cursor.index += token68[0].length;
		return;
	}

	for (;;) {
		const param = readParam(cursor);
		if (!param) {
			return;
		}

		challenge.params[param[0]] = param[1];
		cursor.skipSeparators();
		// A bare token without "=" after the separators is the next challenge's scheme.
		if (!startsParam(cursor)) {
			return;
		}
	}
}

/** True when a `name=` parameter starts at the cursor (the cursor does not move). */
function startsParam(cursor: Cursor): boolean {
	const start = cursor.index;
	const found = readParam(cursor) !== undefined;
	cursor.index = start;
	return found;
}

export function parseAuthChallenges(header: string | undefined): AuthChallenge[] {
	if (!header) {
		return [];
	}

	const cursor = new Cursor(header);
	const challenges: AuthChallenge[] = [];
	for (;;) {
		cursor.skipSeparators();
		if (cursor.done) {
			return challenges;
		}

		const scheme = cursor.readToken();
		if (!scheme) {
			// Not a token: the rest cannot be read as a challenge; keep what was understood.
			return challenges;
		}

		const challenge: AuthChallenge = {scheme: scheme.toLowerCase(), params: {}};
		challenges.push(challenge);
		cursor.skipSpace();
		if (!cursor.done && cursor.peek() !== ',') {
			readChallengeBody(cursor, challenge);
		}
	}
}

/** The challenge a registry client should answer: Bearer when offered (it carries the scope), else Basic. */
export function chooseChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
	return challenges.find(challenge => challenge.scheme === 'bearer') ?? challenges.find(challenge => challenge.scheme === 'basic');
}

/** A Bearer challenge's `scope` holds several scopes separated by spaces. */
export function challengeScopes(challenge: AuthChallenge): string[] {
	return (challenge.params['scope'] ?? '').split(' ').filter(Boolean);
}
