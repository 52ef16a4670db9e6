// The top of dist/addon-wizard.mjs (scripts/build.mjs puts `codeDigest`, `earlyTexts` and
// `earlyAnswers` above it and the packed chunks below it). `--version` and the help pages are
// printed from the texts the build generated with the program's own code (source/app/early-answer.ts),
// before anything else loads. Any other command: unpacks the program's chunks once per build into
// $XDG_CACHE_HOME/addon-wizard/code/<digest> (else ~/.cache, else a private folder in the temp
// folder) and imports its entry from there, so each command compiles only the chunks it imports.
/* global codeDigest, earlyTexts, earlyAnswers -- written above this code by scripts/build.mjs */
import {chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {dirname, isAbsolute, join} from 'node:path';
import process from 'node:process';
import {fileURLToPath, pathToFileURL} from 'node:url';

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

/** Where the chunks may go, in order: the XDG cache (as the wizard's own cache), then the temp folder. */
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

/** Writes every chunk into a folder of this process's own, then renames it into place whole. */
function unpack(target, brotliDecompressSync) {
	ownFolder(dirname(target));
	const text = readFileSync(fileURLToPath(import.meta.url), 'latin1');
	const start = text.lastIndexOf('/*PACKED:');
	const end = text.lastIndexOf(':PACKED*/');
	const files = JSON.parse(brotliDecompressSync(Buffer.from(text.slice(start + 9, end), 'base64')).toString('utf8'));
	const temporary = `${target}.${process.pid}.tmp`;
	rmSync(temporary, {recursive: true, force: true});
	for (const [name, code] of files) {
		mkdirSync(dirname(join(temporary, name)), {recursive: true, mode: 0o700});
		writeFileSync(join(temporary, name), code, {mode: 0o600});
	}

	chmodSync(temporary, 0o700);
	try {
		renameSync(temporary, target);
	} catch (error) {
		// Another run unpacked the same build first: theirs is as good.
		rmSync(temporary, {recursive: true, force: true});
		if (!existsSync(join(target, 'cli.mjs'))) {
			throw error;
		}
	}
}

async function unpacked() {
	const problems = [];
	for (const folder of codeFolders()) {
		const target = join(folder, codeDigest);
		if (existsSync(join(target, 'cli.mjs'))) {
			return join(target, 'cli.mjs');
		}

		try {
			rmSync(target, {recursive: true, force: true});
			// Loaded only the first time a build runs: every later start finds the chunks unpacked.
			unpack(target, (await import('node:zlib')).brotliDecompressSync);
			return join(target, 'cli.mjs');
		} catch (error) {
			problems.push(`${folder}: ${error && error.code ? error.code : error && error.message}`);
		}
	}

	process.stderr.write(
		`addon-wizard: could not start: no folder to unpack the program into (${problems.join('; ')})\n  next: set XDG_CACHE_HOME to a folder you can write to, then run the command again.\n`,
	);
	process.exit(1);
}

async function start() {
	const entry = await unpacked();
	// The entry handles every error of the program itself: a rejection here means the unpacked code could not load.
	await import(pathToFileURL(entry).href).catch(error => {
		process.stderr.write(
			`addon-wizard: could not start: ${error && error.message ? error.message : error}\n  next: delete ${dirname(entry)} and run the command again.\n`,
		);
		process.exit(1);
	});
}

const asked = process.argv.slice(2).join('\0');
if (!Object.hasOwn(earlyAnswers, asked) || !printed(earlyTexts[earlyAnswers[asked]])) {
	await start();
}
