// `--version` and the help pages come from text the build wrote into the top of
// dist/addon-wizard.mjs, printed before the program loads. They must be exactly what the program
// itself prints (its unpacked program, run directly), for every spelling, whatever the colour and
// width settings; and they must really come without loading it.
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {precomputedAnswers} from '../../source/app/early-answer.js';
import {cliPath} from '../helpers/cluster-fixture.js';
import {runProgram, type ProgramResult} from '../helpers/run-program.js';

/** Colour asked off and a narrow terminal; colour forced on and a wide one. */
const settings: Array<Record<string, string>> = [
	{NO_COLOR: '1', COLUMNS: '40', TERM: 'dumb'},
	{FORCE_COLOR: '1', COLUMNS: '200', TERM: 'xterm-256color', LANG: 'C.UTF-8'},
];

describe('the answers printed before the program loads', () => {
	let scratch: string;
	let cache: string;
	let programEntry: string;

	const run = async (file: string, args: string[], extra: Record<string, string>): Promise<ProgramResult> =>
		runProgram(process.execPath, [file, ...args], {
			cwd: scratch,
			env: {PATH: process.env['PATH'] ?? '', HOME: scratch, XDG_CACHE_HOME: cache, ...extra},
			timeoutMs: 60_000,
		});

	beforeAll(async () => {
		scratch = await mkdtemp(path.join(tmpdir(), 'addon-wizard-early-'));
		cache = path.join(scratch, 'cache');
		// A command the tables cannot answer unpacks the program: its entry is then run directly below.
		expect((await run(cliPath, ['list', '--json', '--search', scratch], {})).code).not.toBeNull();
		const folder = path.join(cache, 'addon-wizard', 'code');
		const [digest] = await readdir(folder);
		programEntry = path.join(folder, digest!, 'program.cjs');
		expect(existsSync(programEntry)).toBe(true);
	});

	afterAll(async () => {
		await rm(scratch, {recursive: true, force: true});
	});

	it('answers --version and every help page without unpacking the program', async () => {
		await rm(cache, {recursive: true, force: true});
		for (const args of [['--version'], ['--help'], ['plan', '--help'], ['help', 'run']]) {
			expect((await run(cliPath, args, {})).code).toBe(0);
		}

		expect(existsSync(path.join(cache, 'addon-wizard'))).toBe(false);
		await run(cliPath, ['list', '--json', '--search', scratch], {});
		expect(existsSync(programEntry)).toBe(true);
	});

	it('is ASCII throughout: Node decodes the whole file (and the program) ten times faster so', async () => {
		expect(/[^\x00-\x7f]/.test(await readFile(cliPath, 'latin1'))).toBe(false);
		expect(/[^\x00-\x7f]/.test(await readFile(programEntry, 'latin1'))).toBe(false);
	});

	const {answers, texts} = precomputedAnswers();
	const spellings = Object.keys(answers).map(key => key.split('\0'));
	/** One spelling of each distinct text: every command's page, the overview and the version. */
	const eachText = [...new Map(Object.entries(answers).map(([key, text]) => [text, key.split('\0')])).values()];

	/** Each spelling through `file`, two at a time, checked by `check`. */
	async function each(list: string[][], check: (args: string[]) => Promise<void>): Promise<void> {
		const queue = [...list];
		const worker = async () => {
			for (let args = queue.shift(); args; args = queue.shift()) {
				await check(args);
			}
		};

		await Promise.all([worker(), worker()]);
	}

	it('covers --version, -v, --help, -h, help, and each command asked both ways', () => {
		const asked = new Set(spellings.map(args => args.join(' ')));
		for (const expected of ['--version', '-v', '--help', '-h', 'help', 'help plan', 'plan --help', 'run -h', 'undo --help', 'help help']) {
			expect(asked.has(expected), expected).toBe(true);
		}
	});

	// Every spelling through the loader (cheap: nothing loads); the program itself once per distinct
	// text under each setting below. The table maps a spelling to its text with the program's own
	// code (earlyAnswer, which main.ts asks first), so one program run per text covers its spellings.
	it('prints, for every spelling, the text the program gives for it, colour off and narrow', async () => {
		await each(spellings, async args => {
			const early = await run(cliPath, args, settings[0]!);
			expect(early, args.join(' ')).toEqual({code: 0, stdout: texts[answers[args.join('\0')]!], stderr: ''});
		});
	}, 300_000);

	// The texts do not depend on these settings (help is laid out for 80 columns, in no colour):
	// each distinct text is checked under both, should that ever change.
	it('prints what the program prints for every command and the version, under both settings', async () => {
		for (const extra of settings) {
			await each(eachText, async args => {
				const [early, program] = await Promise.all([run(cliPath, args, extra), run(programEntry, args, extra)]);
				expect(program.code, args.join(' ')).toBe(0);
				expect(early, args.join(' ')).toEqual(program);
			});
		}
	}, 300_000);

	it('leaves a spelling the tables do not answer, or get wrong, to the program', async () => {
		for (const args of [
			['--version', '--json'],
			['help', 'bogus'],
			['bogus', '--help'],
			['plan', '--help', '--bogus'],
		]) {
			const [early, program] = await Promise.all([run(cliPath, args, {}), run(programEntry, args, {})]);
			expect(early, args.join(' ')).toEqual(program);
		}
	}, 120_000);
});
