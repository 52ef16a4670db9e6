// Turns what went wrong talking to a registry, a chart repository or their token service into
// one cause and one next step, from tables: Node/undici error codes and HTTP statuses.
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {RegistryAccessError, TlsProblem} from '../../domain/registry/tag-state.js';

/** What is being talked to, for the sentence: "the registry", "the chart repository", … */
export type Peer = {
	what: string;
	url: string;
	username?: string;
	/** Where the login comes from, for "check the password" hints. */
	credentialHint: string;
	/** The CA file in use, when one was given. */
	caFile?: string;
};

export type Failure =
	| {type: 'network'; code: string; message: string}
	| {type: 'status'; status: number; detail?: string}
	| {type: 'protocol'; reason: string}
	| {type: 'too-large'; limit: number};

const tlsCodes: Readonly<Record<string, TlsProblem>> = {
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
	UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
	SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
	CERT_HAS_EXPIRED: 'expired',
	CERT_NOT_YET_VALID: 'not-yet-valid',
	ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
	ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
	ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not-tls',
	CERT_REVOKED: 'other',
	ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'other',
};

const tlsWords: Readonly<Record<TlsProblem, string>> = {
	'unknown-ca': 'its certificate is signed by a CA this host does not trust',
	'self-signed': 'its certificate is self-signed and not trusted here',
	expired: 'its certificate has expired',
	'not-yet-valid': "its certificate is not valid yet (check this host's clock)",
	'wrong-host': 'its certificate is for another host name or address',
	'not-tls': 'it does not speak TLS on that port',
	other: 'the TLS handshake failed',
};

const networkKinds: Readonly<Record<string, {kind: RegistryAccessError['kind']; words: string}>> = {
	ECONNREFUSED: {kind: 'registry-unreachable', words: 'connection refused'},
	EHOSTUNREACH: {kind: 'registry-unreachable', words: 'no route to the host'},
	ENETUNREACH: {kind: 'registry-unreachable', words: 'the network is unreachable'},
	EHOSTDOWN: {kind: 'registry-unreachable', words: 'the host is down'},
	ETIMEDOUT: {kind: 'registry-unreachable', words: 'the connection timed out'},
	UND_ERR_CONNECT_TIMEOUT: {kind: 'registry-unreachable', words: 'the connection timed out'},
	ENOTFOUND: {kind: 'registry-dns', words: 'the host name does not resolve'},
	EAI_AGAIN: {kind: 'registry-dns', words: 'the name server did not answer'},
	ECONNRESET: {kind: 'registry-connection-reset', words: 'the connection was reset'},
	EPIPE: {kind: 'registry-connection-reset', words: 'the connection was closed while sending'},
	UND_ERR_SOCKET: {kind: 'registry-connection-reset', words: 'the server closed the connection'},
	UND_ERR_HEADERS_TIMEOUT: {kind: 'registry-timeout', words: 'no answer within the timeout'},
	UND_ERR_BODY_TIMEOUT: {kind: 'registry-timeout', words: 'the answer stalled past the timeout'},
	ABORT_ERR: {kind: 'registry-aborted', words: 'the read was cancelled'},
	// One request's overall deadline (registry-http.ts): the message says which request and how long.
	REQUEST_DEADLINE: {kind: 'registry-timeout', words: ''},
	UND_ERR_ABORTED: {kind: 'registry-aborted', words: 'the read was cancelled'},
};

/** Sentences start upper case, unless they start with a URL. */
const sentence = (text: string) => (/^https?:/.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1));

function error(
	kind: RegistryAccessError['kind'],
	peer: Peer,
	cause: string,
	message: string,
	hint: string,
	extra: Partial<RegistryAccessError> = {},
): RegistryAccessError {
	return {
		kind,
		message: sentence(message),
		hint: sentence(hint),
		exitCode: exitCodes.blocked,
		url: peer.url,
		cause,
		reason: cause,
		...extra,
	};
}

function tlsHint(problem: TlsProblem, peer: Peer): string {
	if (problem === 'not-tls') {
		return `If it serves plain HTTP use ${peer.url.replace(/^https:/, 'http:')}; otherwise check the port.`;
	}

	const skip = 'or --registry-insecure to skip the check (Review will show it)';
	if (problem === 'unknown-ca' || problem === 'self-signed' || problem === 'other') {
		return peer.caFile
			? `${peer.caFile} is not the CA that signed it: pass the right one with --registry-ca FILE, ${skip}.`
			: `Pass the CA that signed it with --registry-ca FILE, ${skip}.`;
	}

	return `Fix the certificate, ${skip}.`;
}

function fromNetwork(failure: Extract<Failure, {type: 'network'}>, peer: Peer): RegistryAccessError {
	const tls = tlsCodes[failure.code] ?? (/wrong version number|ssl3_get_record/i.test(failure.message) ? 'not-tls' : undefined);
	if (tls) {
		return error(
			'registry-tls',
			peer,
			failure.code,
			`TLS with ${peer.what} at ${peer.url} failed: ${tlsWords[tls]} (${failure.code}).`,
			tlsHint(tls, peer),
			{tlsProblem: tls, reason: `TLS failed: ${tlsWords[tls]}`},
		);
	}

	const listed = networkKinds[failure.code];
	const known = listed && listed.words !== '' ? listed : {kind: listed?.kind ?? ('registry-unreachable' as const), words: failure.message};
	const hints: Record<string, string> = {
		'registry-unreachable': `Check that ${peer.what} runs and listens there, and that no firewall is in the way; pass the right URL if it is elsewhere.`,
		'registry-dns': "Check the host name (or use its IP address), and this host's DNS settings.",
		'registry-connection-reset': `Something between here and ${peer.what} drops connections (a proxy, a load balancer, a crashing server); try again, and look at its logs.`,
		'registry-timeout': `${peer.what} is overloaded or the network is slow; try again later.`,
		'registry-aborted': 'Nothing to do: it was stopped on purpose.',
	};
	const reached = known.kind !== 'registry-unreachable' && known.kind !== 'registry-dns';
	const message = reached
		? `Reading from ${peer.what} at ${peer.url} failed: ${known.words} (${failure.code}).`
		: `Cannot reach ${peer.what} at ${peer.url}: ${known.words} (${failure.code}).`;
	return error(known.kind, peer, failure.code, message, hints[known.kind] ?? 'Try again.', {reason: `${known.words} (${failure.code})`});
}

function fromStatus(failure: Extract<Failure, {type: 'status'}>, peer: Peer): RegistryAccessError {
	const {status} = failure;
	const detail = failure.detail ? ` (${failure.detail})` : '';
	const extra = (reason: string) => ({status, reason: `${reason} (${status})${detail}`});
	if (status === 401) {
		return peer.username
			? error(
					'registry-auth',
					peer,
					'401',
					`${peer.what} at ${peer.url} refused the login of user "${peer.username}" (401)${detail}.`,
					`Check the password for "${peer.username}": ${peer.credentialHint}.`,
					extra(`the login of user "${peer.username}" was refused`),
				)
			: error(
					'registry-auth',
					peer,
					'401',
					`${peer.what} at ${peer.url} needs a login and none was given (401).`,
					`Give a user and password: ${peer.credentialHint}.`,
					extra('a login is needed'),
				);
	}

	if (status === 403) {
		const who = peer.username ? `user "${peer.username}"` : 'an anonymous client';
		return error(
			'registry-forbidden',
			peer,
			'403',
			`${peer.what} at ${peer.url} does not let ${who} do this (403)${detail}.`,
			`Grant ${who} the rights (or log in as one that has them): ${peer.credentialHint}.`,
			extra(`${who} may not read it`),
		);
	}

	if (status === 404) {
		return error(
			'registry-not-found',
			peer,
			'404',
			`${peer.url} answered 404: not found on ${peer.what}${detail}.`,
			'Check the URL: the host, port and path.',
			extra('not found'),
		);
	}

	if (status >= 500) {
		return error(
			'registry-server-error',
			peer,
			String(status),
			`${peer.what} at ${peer.url} failed with ${status} after retries${detail}.`,
			`Look at ${peer.what}'s logs, then try again.`,
			extra('a server error after retries'),
		);
	}

	return error(
		'registry-protocol',
		peer,
		String(status),
		`${peer.what} at ${peer.url} answered ${status}${detail}, which the wizard does not expect.`,
		`Check that ${peer.url} is ${peer.what}.`,
		extra('an answer the wizard does not expect'),
	);
}

export function describeFailure(failure: Failure, peer: Peer): RegistryAccessError {
	switch (failure.type) {
		case 'network': {
			return fromNetwork(failure, peer);
		}

		case 'status': {
			return fromStatus(failure, peer);
		}

		case 'too-large': {
			return error(
				'registry-protocol',
				peer,
				'too-large',
				`${peer.url} sent more than ${Math.round(failure.limit / 1_048_576)} MiB, more than the wizard reads from ${peer.what}.`,
				`Check that ${peer.url} is ${peer.what}.`,
				{reason: `the answer is larger than ${Math.round(failure.limit / 1_048_576)} MiB, more than the wizard reads`},
			);
		}

		case 'protocol': {
			return error(
				'registry-protocol',
				peer,
				'protocol',
				`${peer.what} at ${peer.url} sent something unexpected: ${failure.reason}.`,
				`Check that ${peer.url} is ${peer.what}.`,
				{reason: failure.reason},
			);
		}
	}
}

/** The error code of anything thrown by undici or Node's sockets. */
export function errorCode(thrown: unknown): {code: string; message: string} {
	const value = thrown as {code?: unknown; name?: unknown; message?: unknown; cause?: {code?: unknown}} | undefined;
	const code =
		typeof value?.code === 'string'
			? value.code
			: typeof value?.cause?.code === 'string'
				? value.cause.code
				: value?.name === 'AbortError'
					? 'ABORT_ERR'
					: 'UNKNOWN';
	return {code, message: typeof value?.message === 'string' ? value.message : String(thrown)};
}
