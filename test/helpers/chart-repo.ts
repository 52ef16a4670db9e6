// A chart repository for tests: tools/chartmuseum-standin.mjs (ChartMuseum's API over a folder)
// on 127.0.0.1 and a free port, with Basic auth by default, as the bootstrap node's ChartMuseum.
import path from 'node:path';
import {startStandin, type StandinProcess} from './standin-process.js';

export type TestChartRepo = StandinProcess & {
	/** `http://127.0.0.1:PORT`, the repository URL (`<url>/index.yaml`). */
	url: string;
	username?: string;
	password?: string;
	/** Where the chart archives and index.yaml are written. */
	storageDir: string;
};

export type ChartRepoOptions = {
	/** Basic auth (default true; the builtin ChartMuseum's docs credentials are rootuser/rootpass123). */
	auth?: boolean;
	username?: string;
	password?: string;
	anonymousGet?: boolean;
	/** ChartMuseum's --disable-delete: DELETE /api/charts/… answers 404. */
	disableDelete?: boolean;
};

export async function startChartRepo(options: ChartRepoOptions = {}): Promise<TestChartRepo> {
	const auth = options.auth ?? true;
	const username = auth ? (options.username ?? 'rootuser') : undefined;
	const password = auth ? (options.password ?? 'rootpass123') : undefined;
	const standin = await startStandin('chartmuseum-standin.mjs', root => [
		'--port',
		'0',
		'--storage-local-rootdir',
		path.join(root, 'charts'),
		...(auth ? ['--basic-auth-user', username!, '--basic-auth-pass', password!] : []),
		...(options.anonymousGet ? ['--auth-anonymous-get'] : []),
		...(options.disableDelete ? ['--disable-delete'] : []),
	]);
	return {...standin, url: `http://127.0.0.1:${standin.port}`, username, password, storageDir: path.join(standin.root, 'charts')};
}
