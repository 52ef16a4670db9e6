// A bare TCP connect to a URL's host and port, before the HTTP client is loaded: a registry (or
// chart repository) that refuses the connection is told from that alone, so a `plan` against a
// registry that is down loads neither undici nor node:tls, and builds no TLS context (the CA list
// alone cost more than the rest of the command). Anything but a clear answer is left to undici.
import {connect} from 'node:net';

/** `open`: something listens; `refused`: the host said no, with the socket's own error; `unknown`: ask undici. */
export type TcpReach = {state: 'open'} | {state: 'refused'; error: NodeJS.ErrnoException} | {state: 'unknown'};

/**
 * How long the probe may take before undici takes over: a refusal or a connect on a LAN is a
 * millisecond; a host that does not answer is undici's to time out, with its own wording.
 */
const probeWindowMs = 250;

/** Host (IPv6 without brackets) and port of an http(s) URL. */
export function endpointOf(url: string): {host: string; port: number} {
	const parsed = new URL(url);
	const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
	const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
	return {host, port};
}

export async function probeTcp(url: string, signal?: AbortSignal): Promise<TcpReach> {
	if (signal?.aborted) {
		return {state: 'unknown'};
	}

	const {host, port} = endpointOf(url);
	return new Promise(resolve => {
		const socket = connect({host, port});
		const finish = (reach: TcpReach) => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', abandon);
			socket.destroy();
			resolve(reach);
		};

		const abandon = () => {
			finish({state: 'unknown'});
		};

		const timer = setTimeout(abandon, probeWindowMs);
		signal?.addEventListener('abort', abandon, {once: true});
		socket.once('connect', () => {
			finish({state: 'open'});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			finish(error.code === 'ECONNREFUSED' ? {state: 'refused', error} : {state: 'unknown'});
		});
	});
}
