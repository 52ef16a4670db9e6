import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import path from 'node:path';
import {writeFileSync} from 'node:fs';
import {bumpedCharts} from '../test/helpers/build-package.js';
import {makeClusterFixture} from '../test/helpers/cluster-fixture.js';
const run = promisify(execFile);
const f = await makeClusterFixture({
	packages: [
		{version: 'v0.10.3', arch: 'amd64'}, {version: 'v0.10.3', arch: 'arm64'},
		{version: 'v0.11.2', arch: 'amd64', charts: bumpedCharts('amd64')}, {version: 'v0.11.2', arch: 'arm64', charts: bumpedCharts('arm64')},
	],
	current: 0, testBed: {}, simulatorEnv: {DCE5_SIM_DELAY_MS: '20'},
});
const installer = path.join(f.home, 'dce5-installer');
const where = {cwd: f.workdir, env: f.env};
await run(installer, ['cluster-create', '-c', f.configPath, '-m', f.manifestPath, '-d', '-j13'], where);
await run(installer, ['import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[1]!.path}`], where);
const envs = Object.entries(f.env).map(([k, v]) => `export ${k}='${v}'`).join('\n');
writeFileSync('/tmp/handfix.env', `${envs}\ncd '${f.workdir}'\nexport C='${f.configPath}' S='${f.packagesDir}'\n`);
console.log('ready', f.root);
process.on('SIGTERM', async () => { await f.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
