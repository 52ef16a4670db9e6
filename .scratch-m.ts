import {makeClusterFixture, cliPath} from './test/helpers/cluster-fixture.js';
import {spawnSync} from 'node:child_process';
import {rmSync, openSync} from 'node:fs';
import path from 'node:path';
const f = await makeClusterFixture({packages: [{arch: 'amd64'}, {arch: 'arm64'}], current: 0});
const installer = path.join(f.home, 'dce5-installer');
const devnull = openSync('/dev/null', 'w');
for (const flood of ['0', '200000', '0', '200000', '1000000']) {
  const env = {...f.env, DCE5_SIM_FLOOD: flood, DCE5_SIM_STATE: path.join(f.root, 'reg.json')};
  const reset = () => { rmSync(path.join(f.workdir, 'addon-offline-target-package'), {recursive: true, force: true}); rmSync(path.join(f.root, 'reg.json'), {force: true}); };
  reset(); let t = performance.now();
  spawnSync(installer, ['import', '-addon', '-c', f.configPath, `--addon-path=${f.packages[1]!.path}`], {cwd: f.workdir, env, stdio: ['ignore', devnull, 'ignore']});
  const a = (performance.now()-t)/1000;
  reset(); t = performance.now();
  const r = spawnSync(process.execPath, [cliPath, 'run', '--yes', '-c', f.configPath, '-p', f.packages[1]!.path, '--installer', installer, '--log-file', path.join(f.root, 'run.log')], {cwd: f.workdir, env, stdio: ['ignore', devnull, 'pipe']});
  const w = (performance.now()-t)/1000;
  reset(); t = performance.now();
  const j = spawnSync(process.execPath, [cliPath, 'run', '--yes', '--json', '-c', f.configPath, '-p', f.packages[1]!.path, '--installer', installer, '--log-file', path.join(f.root, 'run.log')], {cwd: f.workdir, env, stdio: ['ignore', devnull, 'pipe']});
  const js = (performance.now()-t)/1000;
  console.log(flood, 'alone', a.toFixed(3), 'wizard', r.status, w.toFixed(3), 'json', j.status, js.toFixed(3));
}
rmSync(f.root, {recursive: true, force: true});
