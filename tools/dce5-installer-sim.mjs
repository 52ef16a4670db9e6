#!/usr/bin/env node
// Stands in for the proprietary `dce5-installer` in tests: same command lines, same working
// directory behaviour, same output and failure wording as docs/installer-contract.md records.
// It really unpacks the package into ./addon-offline-target-package and really reads its charts
// and images. Knobs are environment variables (see tools/README.md); no Node modules beyond core.
import {spawn} from 'node:child_process';
import {closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createGunzip} from 'node:zlib';

const env = process.env;
const delayMs = Number(env.DCE5_SIM_DELAY_MS ?? 0);
const budget = env.DCE5_SIM_DISK_BUDGET ? Number(env.DCE5_SIM_DISK_BUDGET) : Infinity;
const knownSpaces = env.DCE5_SIM_REGISTRY_SPACES === undefined ? undefined : new Set(env.DCE5_SIM_REGISTRY_SPACES.split(',').map(s => s.trim()).filter(Boolean));
const statePath = env.DCE5_SIM_STATE ?? path.join(os.homedir(), '.dce5-installer-sim', 'registry.json');
const targetDir = path.resolve('addon-offline-target-package');
let written = 0;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const out = line => process.stdout.write(`${line}\n`);
const err = line => process.stderr.write(`${line}\n`);
const pace = async () => {
	if (delayMs > 0) await sleep(delayMs);
};

function klog(file, message) {
	const now = new Date();
	const pad = (n, w = 2) => String(n).padStart(w, '0');
	const stamp = `I${pad(now.getMonth() + 1)}${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds() * 1000, 6)}`;
	return `${stamp}    ${process.pid} ${file}] ${message}`;
}

class Fatal extends Error {}
function fail(cause) {
	throw new Fatal(cause);
}

// ---- arguments -------------------------------------------------------------------------------
function parse(argv) {
	const args = {flags: new Map(), positional: []};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq > 0) args.flags.set(arg.slice(0, eq), arg.slice(eq + 1));
		else if (['-c', '-m', '--addon-path'].includes(arg)) args.flags.set(arg, argv[++i]);
		else if (arg.startsWith('-')) args.flags.set(arg, true);
		else args.positional.push(arg);
	}
	return args;
}

// ---- clusterConfig.yaml: only what the installer needs ----------------------------------------
/** A YAML scalar as the real (Go) parser reads it: quotes, escapes in "…", '' in '…', a trailing comment. */
function unquote(value) {
	const v = value.trim();
	const double = /^"((?:[^"\\]|\\.)*)"/.exec(v);
	if (double) {
		try {
			return JSON.parse(`"${double[1]}"`);
		} catch {
			return double[1];
		}
	}

	const single = /^'((?:[^']|'')*)'/.exec(v);
	if (single) return single[1].replaceAll("''", "'");
	return v.replace(/\s+#.*$/, '');
}

function readConfig(file) {
	if (!file) fail('invalid ClusterConfig: -c is required');
	let text;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		fail(`read ClusterConfig ${file}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`);
	}
	if (!/^kind:\s*ClusterConfig\s*$/m.test(text)) fail('invalid ClusterConfig: kind must be ClusterConfig');
	const lines = text.split('\n');
	const paths = [];
	let registry = '10.6.135.222';
	for (let i = 0; i < lines.length; i++) {
		const reg = /^\s+externalImageRepo:\s*(\S.*)$/.exec(lines[i]);
		if (reg) registry = unquote(reg[1]).replace(/^https?:\/\//, '');
		if (!/^\s+addonPackage:\s*$/.test(lines[i])) continue;
		const indent = lines[i].search(/\S/);
		for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || lines[j].trim().startsWith('#') || lines[j].search(/\S/) > indent); j++) {
			const value = /^\s+path:\s*(\S.*)$/.exec(lines[j])?.[1] ?? /^\s+-\s+(\S.*)$/.exec(lines[j])?.[1];
			if (value === undefined) continue;
			const block = blockScalar(lines, j, value);
			const text = block ? block.value : unquote(value);
			if (text !== '') paths.push(text);
			if (block) j = block.end - 1;
		}
	}
	return {paths, registry};
}

/** A `|` / `>` block scalar starting after line `at` (how a YAML library writes a value with a line break). */
function blockScalar(lines, at, header) {
	const style = /^([|>])([+-]?)\s*(#.*)?$/.exec(header.trim());
	if (!style) return undefined;
	const indent = lines[at].search(/\S/);
	let end = at + 1;
	while (end < lines.length && (lines[end].trim() === '' || lines[end].search(/\S/) > indent)) end++;
	const body = lines.slice(at + 1, end);
	while (body.length > 0 && body.at(-1).trim() === '') body.pop();
	const inner = Math.min(...body.filter(line => line.trim() !== '').map(line => line.search(/\S/)));
	const text = body.map(line => line.slice(inner)).join(style[1] === '|' ? '\n' : ' ');
	return {value: style[2] === '-' ? text : `${text}\n`, end};
}

// ---- a tar reader small enough to keep here ----------------------------------------------------
/** Calls onEntry(header) then onData(chunk) / onEnd() for each entry of a tar byte stream. */
function tarReader({onEntry, onData, onEnd}) {
	let buffer = Buffer.alloc(0);
	let remaining = 0; // data bytes left in the current entry
	let padding = 0;
	let collect; // pax/longname bytes
	let pending = {};
	let current;
	return chunk => {
		buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
		for (;;) {
			if (remaining > 0) {
				if (buffer.length === 0) return;
				const part = buffer.subarray(0, Math.min(remaining, buffer.length));
				buffer = buffer.subarray(part.length);
				remaining -= part.length;
				if (collect) collect.push(part);
				else onData(current, part);
				if (remaining > 0) return;
				if (collect) {
					const text = Buffer.concat(collect).toString('utf8');
					if (current.type === 'x') for (const m of text.matchAll(/\d+ path=([^\n]*)\n/g)) pending.path = m[1];
					if (current.type === 'L') pending.path = text.replace(/\0.*$/s, '');
					collect = undefined;
				} else onEnd(current);
				continue;
			}
			if (padding > 0) {
				const skip = Math.min(padding, buffer.length);
				buffer = buffer.subarray(skip);
				padding -= skip;
				if (padding > 0) return;
			}
			if (buffer.length < 512) return;
			const header = buffer.subarray(0, 512);
			buffer = buffer.subarray(512);
			if (header.every(byte => byte === 0)) continue;
			const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
			const size = Number.parseInt(field(124, 12).trim() || '0', 8);
			const type = field(156, 1) || '0';
			const prefix = field(345, 155);
			const name = pending.path ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
			current = {name, size, type};
			remaining = size;
			padding = (512 - (size % 512)) % 512;
			if (type === 'x' || type === 'L' || type === 'g') {
				collect = [];
				if (type === 'g') current.type = 'g';
				if (size === 0) collect = undefined;
				continue;
			}
			pending = {};
			onEntry(current);
			if (size === 0) onEnd(current);
		}
	};
}

/** Writes a tar stream's files under `dir`, counting every byte against the disk budget. */
function extractor(dir) {
	let fd;
	return tarReader({
		onEntry(entry) {
			const target = path.join(dir, entry.name);
			if (!target.startsWith(dir)) fail(`unsafe path in package: ${entry.name}`);
			if (entry.type === '5') {
				mkdirSync(target, {recursive: true});
				return;
			}
			mkdirSync(path.dirname(target), {recursive: true});
			entry.target = target;
			fd = openSync(target, 'w');
		},
		onData(entry, chunk) {
			if (written + chunk.length > budget) {
				writeSync(fd, chunk.subarray(0, Math.max(0, budget - written)));
				fail(`failed to unpack addon package: write ${entry.target}: no space left on device`);
			}
			try {
				writeSync(fd, chunk);
			} catch (error) {
				if (error.code === 'ENOSPC') fail(`failed to unpack addon package: write ${entry.target}: no space left on device`);
				throw error;
			}
			written += chunk.length;
		},
		onEnd(entry) {
			if (fd !== undefined && entry.type !== '5') {
				closeSync(fd);
				fd = undefined;
			}
		},
	});
}

async function pump(stream, feed) {
	for await (const chunk of stream) {
		feed(chunk);
	}
}

/** Small JSON entries of a tar file (manifest.json and image configs), read as a stream. */
async function readSmallEntries(file, wanted) {
	const found = new Map();
	const parts = new Map();
	await pump(createReadStream(file), tarReader({
		onEntry(entry) {
			if (wanted(entry.name) && entry.size < 1 << 20) parts.set(entry.name, []);
		},
		onData(entry, chunk) {
			parts.get(entry.name)?.push(chunk);
		},
		onEnd(entry) {
			const chunks = parts.get(entry.name);
			if (chunks) found.set(entry.name, Buffer.concat(chunks).toString('utf8'));
		},
	}));
	return found;
}

// ---- the registry the images go to, remembered between runs -------------------------------------
function loadRegistry() {
	try {
		return JSON.parse(readFileSync(statePath, 'utf8'));
	} catch {
		return {charts: [], images: []};
	}
}

function saveRegistry(state) {
	mkdirSync(path.dirname(statePath), {recursive: true});
	writeFileSync(statePath, JSON.stringify(state, null, 2));
}

// ---- the import itself ------------------------------------------------------------------------
async function unpackPackage(packagePath) {
	if (existsSync(targetDir)) fail(`failed to unpack addon package: mkdir ${targetDir}: file exists`);
	let size;
	try {
		size = statSync(packagePath).size;
	} catch {
		fail(`failed to unpack addon package: open ${packagePath}: no such file or directory`);
	}
	mkdirSync(targetDir);
	out(`[Info]: unpacking addon package ${packagePath} (${size} bytes) to ${targetDir}`);
	const gunzip = createGunzip();
	try {
		await pump(createReadStream(packagePath).pipe(gunzip), extractor(targetDir));
	} catch (error) {
		if (error instanceof Fatal) throw error;
		fail(`failed to unpack addon package: ${error.message}`);
	}
}

function findBundles(dir) {
	const bundles = [];
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) bundles.push(...findBundles(full));
		else if (entry.name.endsWith('.bundle.tar')) bundles.push(full);
	}
	return bundles.sort();
}

/** Unpacks and reads one bundle; a malformed one ends the import with an `[Error]` line, as the installer does. */
async function readBundle(bundle) {
	const unpacked = `${bundle.slice(0, -'.tar'.length)}`;
	try {
		mkdirSync(unpacked, {recursive: true});
		await pump(createReadStream(bundle), extractor(unpacked));
		return await readUnpackedBundle(unpacked);
	} catch (error) {
		if (error instanceof Fatal) throw error;
		fail(`import addon failed: read bundle ${bundle}: ${error.message}`);
	}
}

async function readUnpackedBundle(unpacked) {
	const chartDir = path.join(unpacked, 'original-chart');
	const chartName = readdirSync(chartDir)[0];
	if (chartName === undefined) throw new Error(`no chart in ${chartDir}`);
	const chartYaml = readFileSync(path.join(chartDir, chartName, 'Chart.yaml'), 'utf8');
	const name = /^name:\s*(\S+)/m.exec(chartYaml)?.[1] ?? chartName;
	const version = /^version:\s*(\S+)/m.exec(chartYaml)?.[1] ?? '0.0.0';
	const images = [];
	const imagesTar = path.join(unpacked, 'images.tar');
	if (existsSync(imagesTar)) {
		const entries = await readSmallEntries(imagesTar, name => name === 'manifest.json' || name.startsWith('sha256:') || name.endsWith('.json'));
		const manifest = JSON.parse(entries.get('manifest.json') ?? '[]');
		for (const item of manifest) {
			const config = JSON.parse(entries.get(item.Config) ?? '{}');
			for (const ref of item.RepoTags ?? []) images.push({ref, arch: config.architecture ?? 'amd64'});
		}
	}
	return {name, version, images};
}

function space(ref) {
	const first = ref.split('/')[0];
	return ref.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'localhost';
}

let helper;
function startHelper() {
	// The real installer runs charts-syncer and skopeo as children; one child proves process-group handling.
	if (env.DCE5_SIM_HELPER === '1') helper = spawn('sleep', ['600'], {stdio: 'ignore'});
}

async function floodIfAsked() {
	const lines = Number(env.DCE5_SIM_FLOOD ?? 0);
	if (!lines) return;
	const started = performance.now();
	const line = klog('sync.go:120', 'flood line for throughput measurement ......................................');
	const write = async text => {
		if (!process.stdout.write(text)) await new Promise(resolve => process.stdout.once('drain', resolve));
	};
	let chunk = '';
	for (let i = 0; i < lines; i++) {
		chunk += `${line} ${i}\n`;
		if (chunk.length > 1 << 16) {
			await write(chunk);
			chunk = '';
		}
	}
	await write(chunk);
	// How long the flood took the installer itself: a reader that does not keep up makes the writes wait.
	if (env.DCE5_SIM_FLOOD_REPORT) writeFileSync(env.DCE5_SIM_FLOOD_REPORT, `${(performance.now() - started).toFixed(3)}\n`);
}

async function importPackage(packagePath, registry, mode) {
	await unpackPackage(packagePath);
	const state = loadRegistry();
	const arch = /-(amd64|arm64)\.tar\.gz$/.exec(packagePath)?.[1] ?? 'amd64';
	await floodIfAsked();
	startHelper();
	for (const bundle of findBundles(targetDir)) {
		const chart = await readBundle(bundle);
		const id = `${chart.name}_${chart.version}`;
		if (mode === 'cluster-create' && state.charts.includes(id)) {
			err(klog('index.go:80', `Skipping "${id}" chart: Already synced`));
		} else if (mode === 'cluster-create') {
			err(klog('sync.go:66', `Syncing "${id}" chart...`));
			state.charts.push(id);
		}
		for (const image of chart.images) {
			await pace();
			const target = `${registry}/${image.ref}`;
			const needed = space(image.ref);
			if (knownSpaces && !knownSpaces.has(needed)) {
				err(`Error: failed to push image ${target}: unauthorized: project not found, name: ${needed}: project not found, name: ${needed}`);
				saveRegistry(state);
				fail('import addon failed');
			}
			const key = mode === 'cluster-create' ? target : `${target}-${image.arch}`;
			if (mode === 'cluster-create') {
				out(state.images.includes(key) ? `Image ${target} already exists, skip pushing...` : `Pushing ${target}...`);
			} else {
				const [, repo, tag] = /^(.*):([^:/]+)$/.exec(target) ?? [undefined, target, 'latest'];
				out(`[info] import image from oci:offline-images:${image.ref} to ${repo}:${tag}-${image.arch}`);
				if (state.images.includes(key)) out('[warn] skipping to push since it already exists in remote');
			}
			if (!state.images.includes(key)) state.images.push(key);
		}
		await pace();
	}
	saveRegistry(state);
	rmSync(targetDir, {recursive: true, force: true});
	written = 0; // Everything counted lived under targetDir: the next package starts with the whole budget.
	out(`[Info]: addon offline package ${path.basename(packagePath)} imported (${arch})`);
}

async function main() {
	// Lets a test put a known string (e.g. a registry password) into the installer's output.
	if (env.DCE5_SIM_ECHO !== undefined) out(env.DCE5_SIM_ECHO.replace(/\r?\n/g, ' '));
	const [command, ...rest] = process.argv.slice(2);
	if (command === '--version' || command === 'version') {
		out('dce5-installer v0.27.0 (simulator)');
		return;
	}
	const args = parse(command === 'import' ? rest : rest);
	if (command === 'cluster-create') {
		const config = readConfig(args.flags.get('-c'));
		if (!args.flags.get('-m') || !existsSync(args.flags.get('-m'))) fail(`read manifest ${args.flags.get('-m') ?? ''}: no such file or directory`);
		if (config.paths.length === 0) fail('invalid ClusterConfig: spec.addonPackage.path is empty');
		const total = 13;
		for (let step = 1; step < total; step++) {
			out(`[Info]: Step ${step}/${total}: ${step === 1 ? 'check cluster config' : `reconcile cluster (${step})`}`);
			await pace();
		}
		out(`[Info]: Step ${total}/${total}: import addon offline package`);
		for (const packagePath of config.paths) await importPackage(packagePath, config.registry, 'cluster-create');
		out('[Info]: cluster-create finished');
		return;
	}
	if ((command === 'import' && args.positional[0] === undefined && args.flags.has('-addon')) || command === 'import-addon') {
		const config = readConfig(args.flags.get('-c'));
		const packagePath = args.flags.get('--addon-path');
		if (!packagePath) fail('import addon: --addon-path is required');
		out('[Info]: Step 1/1: import addon offline package (multi-arch)');
		await importPackage(packagePath, config.registry, 'import-addon');
		out('[Info]: import addon finished');
		return;
	}
	err(`Error: unknown command "${[command, ...rest].join(' ')}" for "dce5-installer"`);
	process.exitCode = 1;
}

try {
	await main();
} catch (error) {
	helper?.kill();
	if (!(error instanceof Fatal)) throw error;
	err(`[Error]:[Error] ${error.message}`);
	process.exitCode = 1;
}
helper?.kill();
