// The top of dist/addon-wizard.mjs (scripts/build.mjs puts `codeDigest`, `earlyTexts`,
// `earlyAnswers` and `commandNames` above it and the packed program below it). `--version` and the
// help pages are printed from the texts the build generated with the program's own code
// (source/app/early-answer.ts), before anything else loads. Any other command: unpacks the program
// (one CommonJS script) once per build into $XDG_CACHE_HOME/addon-wizard/code/<digest> (else
// ~/.cache, else a private folder in the temp folder) and runs it from there through V8's code cache:
// Node 20 compiles ES modules afresh on every run, a classic script can reuse its compiled code.
/* global codeDigest, earlyTexts, earlyAnswers, commandNames -- written above this code by scripts/build.mjs */
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir, tmpdir} from 'node:os';
import {dirname, isAbsolute, join} from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {constants as vmConstants, Script} from 'node:vm';

/**
 * Writes the whole text to stdout, synchronously: creating process.stdout would cost more than the
 * rest of `--version`. False when nothing could be written, so the program itself answers instead.
 */
function printed(text) {
	const bytes = Buffer.from(text);
	let written = 0;
	while (written < bytes.length) {
		try {
			written += writeSync(1, bytes, written);
		} catch (error) {
			// A non-blocking pipe that is full: wait for the reader by trying again.
			if (error && error.code === 'EAGAIN') {
				continue;
			}

			if (written === 0) {
				return false;
			}

			// The reader went away part way (`| head`): the rest has no one to read it.
			process.exitCode = 1;
			return true;
		}
	}

	return true;
}

/** Where the program may go, in order: the XDG cache (as the wizard's own cache), then the temp folder. */
function codeFolders() {
	const xdg = process.env.XDG_CACHE_HOME;
	const cache = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
	const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
	return [join(cache, 'addon-wizard', 'code'), join(tmpdir(), `addon-wizard-code-${uid}`)];
}

/** A folder in a shared place is used only when it is this user's and no one else can write to it. */
function ownFolder(folder) {
	mkdirSync(folder, {recursive: true, mode: 0o700});
	const info = lstatSync(folder);
	const uid = typeof process.getuid === 'function' ? process.getuid() : info.uid;
	if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o022) !== 0) {
		throw new Error(`${folder} is not a private folder of this user`);
	}
}

/** Writes the program into a folder of this process's own, then renames it into place whole. */
function unpack(target, brotliDecompressSync) {
	ownFolder(dirname(target));
	const text = readFileSync(fileURLToPath(import.meta.url), 'latin1');
	const start = text.lastIndexOf('/*PACKED:');
	const end = text.lastIndexOf(':PACKED*/');
	const program = brotliDecompressSync(Buffer.from(text.slice(start + 9, end), 'base64'));
	const temporary = `${target}.${process.pid}.tmp`;
	rmSync(temporary, {recursive: true, force: true});
	mkdirSync(temporary, {mode: 0o700});
	writeFileSync(join(temporary, 'program.cjs'), program, {mode: 0o600});
	chmodSync(temporary, 0o700);
	try {
		renameSync(temporary, target);
	} catch (error) {
		// Another run unpacked the same build first: theirs is as good.
		rmSync(temporary, {recursive: true, force: true});
		if (!existsSync(join(target, 'program.cjs'))) {
			throw error;
		}
	}
}

async function unpacked() {
	const problems = [];
	for (const folder of codeFolders()) {
		const target = join(folder, codeDigest);
		if (existsSync(join(target, 'program.cjs'))) {
			return join(target, 'program.cjs');
		}

		try {
			rmSync(target, {recursive: true, force: true});
			// Loaded only the first time a build runs: every later start finds the program unpacked.
			unpack(target, (await import('node:zlib')).brotliDecompressSync);
			return join(target, 'program.cjs');
		} catch (error) {
			problems.push(`${folder}: ${error && error.code ? error.code : error && error.message}`);
		}
	}

	process.stderr.write(
		`addon-wizard: could not start: no folder to unpack the program into (${problems.join('; ')})\n  next: set XDG_CACHE_HOME to a folder you can write to, then run the command again.\n`,
	);
	process.exit(1);
}

/**
 * The first line of a cache file: the build, the Node and the machine it was made by, and the
 * command family. V8 checks only its own version, its flags and the source's length: a cache is
 * used only when this line is exactly the one this run would write.
 */
const cacheHeader = (digest, family) => `addon-wizard code cache ${digest} ${process.version} ${process.arch} ${family}\n`;

/** The cache's bytes after its header, or undefined when there is none, it is cut short, or another's. */
function readCache(file, header) {
	try {
		const bytes = readFileSync(file);
		const expected = Buffer.from(header);
		return bytes.length > expected.length && bytes.subarray(0, expected.length).equals(expected)
			? bytes.subarray(expected.length)
			: undefined;
	} catch {
		return undefined;
	}
}

/** Written whole or not at all (a file of this process's own, renamed into place); a folder that refuses it only costs the next run a compile. */
function writeCache(file, header, script) {
	const temporary = `${file}.${process.pid}.tmp`;
	try {
		writeFileSync(temporary, Buffer.concat([Buffer.from(header), script.createCachedData()]), {mode: 0o600});
		renameSync(temporary, file);
	} catch {
		rmSync(temporary, {force: true});
	}
}

/**
 * Runs the CommonJS program with V8's code cache of its command family, kept beside it. The cache
 * is taken when the process exits, so the functions the command ran (compiled lazily) are in it;
 * a run with none, or one V8 refused, writes it.
 */
function runCached(program, {digest, family}) {
	const file = join(dirname(program), `program.${family}.${process.version}-${process.arch}.v8cache`);
	const header = cacheHeader(digest, family);
	const cachedData = readCache(file, header);
	const source = readFileSync(program, 'latin1');
	const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
		filename: program,
		cachedData,
		// The program's one import(): a Node built-in.
		importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
	});
	if (cachedData === undefined || script.cachedDataRejected) {
		process.once('exit', () => writeCache(file, header, script));
	}

	const module = {exports: {}};
	script.runInThisContext().call(module.exports, module.exports, createRequire(program), module, program, dirname(program));
}

/** The commands that share a code cache: each command its own, the wizard (no command word) another. */
function family(argv) {
	return argv.find(word => commandNames.includes(word)) ?? 'wizard';
}

async function start() {
	const program = await unpacked();
	try {
		// The program handles every error of its own: a throw here means the unpacked code could not load.
		runCached(program, {digest: codeDigest, family: family(process.argv.slice(2))});
	} catch (error) {
		process.stderr.write(
			`addon-wizard: could not start: ${error && error.message ? error.message : error}\n  next: delete ${dirname(program)} and run the command again.\n`,
		);
		process.exit(1);
	}
}

const asked = process.argv.slice(2).join('\0');
if (!Object.hasOwn(earlyAnswers, asked) || !printed(earlyTexts[earlyAnswers[asked]])) {
	await start();
}
