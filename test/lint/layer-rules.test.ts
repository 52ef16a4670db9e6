// The layer rules are the architecture in executable form: these prove they refuse what they must,
// on the same config `npm run lint` uses, so a rule that silently stops applying fails here.
import path from 'node:path';
import {ESLint} from 'eslint';
import {describe, expect, it} from 'vitest';
import {repoRoot} from '../helpers/cluster-fixture.js';

const eslint = new ESLint({cwd: repoRoot});

/** Lints `code` as if it stood at `file`, with only the layer rules, as they are configured for that file. */
async function layerProblems(file: string, code: string): Promise<string[]> {
	const config = (await eslint.calculateConfigForFile(path.join(repoRoot, file))) as {
		rules: Record<string, ESLint.LintResult['messages'][number]['severity']>;
	};
	const rules = Object.fromEntries(Object.entries(config.rules).filter(([name]) => name.startsWith('layers/')));
	const {default: layers} = (await import(path.join(repoRoot, 'lint', 'plugin.js'))) as {default: ESLint.Plugin};
	const {default: tseslint} = await import('typescript-eslint');
	const probe = new ESLint({
		cwd: repoRoot,
		overrideConfigFile: true,
		overrideConfig: [{files: ['**/*.ts', '**/*.tsx'], languageOptions: {parser: tseslint.parser}, plugins: {layers}, rules}],
	});
	const [result] = await probe.lintText(code, {filePath: path.join(repoRoot, file)});
	return result!.messages.map(message => message.message);
}

describe('the layer rules npm run lint applies', () => {
	it('refuse an npm package and an adapter in a domain file, and allow yaml', async () => {
		const problems = await layerProblems(
			'source/domain/shared/probe.ts',
			[
				"import {request} from 'undici';",
				"import {execa} from 'execa';",
				"import {parse} from 'yaml';",
				"import {readFile} from 'node:fs/promises';",
				"import {createRegistryPort} from '../../adapters/registry/registry-port.js';",
				'export const all = [request, execa, parse, readFile, createRegistryPort];',
			].join('\n'),
		);
		expect(problems).toEqual([
			expect.stringContaining('may not import the npm package "undici"'),
			expect.stringContaining('may not import the npm package "execa"'),
			expect.stringContaining('may not import node:fs/promises'),
			expect.stringContaining('may import domain/ only, not adapters/'),
		]);
	});

	it('refuse a domain capability that imports a later one, and the circle it closes', async () => {
		const problems = await layerProblems(
			'source/domain/shared/wizard-error.ts',
			"import type {RunEvent} from '../run/run-events.js';\nexport type E = RunEvent;\n",
		);
		expect(problems).toContainEqual(expect.stringContaining('domain/shared/ may not import domain/run/'));
		expect(problems).toContainEqual(
			expect.stringMatching(
				/^Import circle: source\/domain\/shared\/wizard-error\.ts → source\/domain\/run\/run-events\.ts → .*source\/domain\/shared\/wizard-error\.ts/,
			),
		);
	});

	it('keep Ink out of the workflow and adapters out of the UI', async () => {
		expect(await layerProblems('source/workflow/run/probe.ts', "import {render} from 'ink';\nexport const r = render;\n")).toEqual([
			expect.stringContaining('may not import the npm package "ink"'),
		]);
		expect(
			await layerProblems(
				'source/ui/probe.ts',
				"import {createRegistryPort} from '../adapters/registry/registry-port.js';\nexport const r = createRegistryPort;\n",
			),
		).toEqual([expect.stringContaining('may import domain/, workflow/, report/, ui/ only, not adapters/')]);
	});
});
