// Builds a standalone executable for THIS machine's architecture (Node single executable
// application): the node binary with the ESM bundle injected as an asset. Node 20's SEA main
// script must be CommonJS and Ink needs top-level await, so the CommonJS main writes the bundle
// to a private cache folder once and imports it through a file-backed loader.
import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdirSync, rmSync, writeFileSync, chmodSync, existsSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = new URL('..', import.meta.url).pathname;
const bundle = path.join(root, 'dist', 'addon-wizard.mjs');
if (!existsSync(bundle)) {
	console.error('dist/addon-wizard.mjs is missing: run `npm run build` first.');
	process.exit(2);
}

const work = path.join(root, '.build', 'sea');
rmSync(work, {recursive: true, force: true});
mkdirSync(work, {recursive: true});

const main = `'use strict';
const {getAsset} = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const {createRequire} = require('node:module');
const {pathToFileURL} = require('node:url');
const code = getAsset('addon-wizard.mjs', 'utf8');
const digest = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
const dir = path.join(base, 'addon-wizard', 'sea-' + digest);
const app = path.join(dir, 'addon-wizard.mjs');
const loader = path.join(dir, 'loader.cjs');
if (!fs.existsSync(app)) {
	fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	const temp = app + '.' + process.pid + '.tmp';
	fs.writeFileSync(temp, code, {mode: 0o600});
	fs.writeFileSync(loader, 'module.exports = url => import(url);', {mode: 0o600});
	fs.renameSync(temp, app);
}
createRequire(loader)(loader)(pathToFileURL(app).href).catch(error => {
	console.error('addon-wizard: could not start: ' + (error && error.message || error));
	process.exit(1);
});
`;
writeFileSync(path.join(work, 'main.cjs'), main);
writeFileSync(
	path.join(work, 'sea-config.json'),
	JSON.stringify({
		main: path.join(work, 'main.cjs'),
		output: path.join(work, 'sea-prep.blob'),
		disableExperimentalSEAWarning: true,
		assets: {'addon-wizard.mjs': bundle},
	}),
);
execFileSync(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')], {stdio: 'inherit'});
const output = path.join(root, 'dist', `addon-wizard-linux-${process.arch}`);
copyFileSync(process.execPath, output);
chmodSync(output, 0o755);
execFileSync(
	path.join(root, 'node_modules', '.bin', 'postject'),
	[output, 'NODE_SEA_BLOB', path.join(work, 'sea-prep.blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
	{stdio: ['ignore', 'ignore', 'inherit']},
);
console.log(`Wrote ${path.relative(root, output)}`);
