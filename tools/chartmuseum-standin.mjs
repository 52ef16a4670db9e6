#!/usr/bin/env node
// A ChartMuseum stand-in for tests (ChartMuseum is not packaged on Debian). It follows ChartMuseum's
// README "API" section and its multitenant server (helm/chartmuseum pkg/chartmuseum/server/multitenant:
// handlers.go, api.go) for the routes a Helm client and charts-syncer use, with local storage only.
// See tools/README.md for what it follows and what it leaves out. Flags use ChartMuseum's names:
//   --port N (0: any free port)  --storage-local-rootdir DIR  --basic-auth-user U --basic-auth-pass P
//   --auth-anonymous-get  --allow-overwrite  --allow-force-overwrite  --disable-delete
//   --tls-cert F --tls-key F  --listen-host H
// The port it listens on is the first line on stdout.
import {ChartStore, chartApi} from './lib/chart-repo.mjs';
import {basicCredentials, exitOnSignals, guarded, listen, parseFlags, sendJson} from './lib/http-util.mjs';

const flags = parseFlags(process.argv.slice(2));
if (!flags['storage-local-rootdir']) {
	process.stderr.write('chartmuseum-standin: --storage-local-rootdir is required\n');
	process.exit(2);
}

const store = await new ChartStore(flags['storage-local-rootdir'], {allowOverwrite: Boolean(flags['allow-overwrite'])}).load();
const account =
	flags['basic-auth-user'] === undefined
		? undefined
		: {username: String(flags['basic-auth-user']), password: String(flags['basic-auth-pass'] ?? '')};

function authorized(req) {
	if (!account) return true;
	if (flags['auth-anonymous-get'] && (req.method === 'GET' || req.method === 'HEAD')) return true;
	const given = basicCredentials(req);
	return given?.username === account.username && given.password === account.password;
}

const server = await listen(
	guarded(async (req, res) => {
		const url = new URL(req.url, 'http://standin.invalid');
		if (url.pathname === '/health') return sendJson(res, 200, {healthy: true});
		if (!authorized(req)) return sendJson(res, 401, {error: 'unauthorized'}, {'WWW-Authenticate': 'Basic realm="ChartMuseum"'});
		if (url.pathname === '/') return sendJson(res, 200, {message: 'Welcome to ChartMuseum (stand-in)'});
		if (req.method === 'DELETE' && flags['disable-delete']) return sendJson(res, 404, {error: 'not found'});
		if (!(await chartApi(store, req, res, url.pathname, {query: url.searchParams, allowForce: Boolean(flags['allow-force-overwrite'])})))
			sendJson(res, 404, {error: 'not found'});
	}),
	{host: flags['listen-host'] ?? '127.0.0.1', port: flags.port ?? 0, tlsCert: flags['tls-cert'], tlsKey: flags['tls-key']},
);
exitOnSignals(server);
