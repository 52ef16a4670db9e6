// The layer diagram (docs/architecture.md) in executable form: `npm test` runs this first, so a
// change that lets domain code do I/O, or the UI reach past the workflow, fails CI.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const layer = (...names) => names.map(name => `(^|/)${name}/`).join('|');

/** Node modules that touch the outside world; pure layers may not import them. */
const ioModules = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'os', 'zlib', 'dns', 'tls', 'worker_threads', 'readline', 'process'].flatMap(name => [name, `node:${name}`]);

const ioMessage = 'Pure layers do no I/O: put this behind a port in source/adapters and inject it.';

function restrict(regex, message, extra = {}) {
	return {
		'no-restricted-imports': ['error', {
			paths: extra.paths ?? [],
			patterns: [{regex, message}, ...(extra.patterns ?? [])],
		}],
	};
}

const noEnv = {
	'no-restricted-properties': ['error',
		{object: 'process', property: 'env', message: 'Only the composition root (source/cli) reads the environment; take the value as a parameter.'},
		{object: 'process', property: 'cwd', message: 'Only the composition root (source/cli) reads the working directory.'},
	],
};

const pure = (regex, message) => ({
	...restrict(regex, message, {paths: ioModules.map(name => ({name, message: ioMessage}))}),
	'no-restricted-globals': ['error', {name: 'process', message: ioMessage}],
});

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', '.build/**', '.bench/**', '.scratch/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx,js,mjs}'],
		languageOptions: {
			globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', DOMException: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', URLSearchParams: 'readonly', FormData: 'readonly', Blob: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly'},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'@typescript-eslint/consistent-type-imports': 'error',
			// Escapes are the subject matter here (installer output is sanitised by pattern).
			'no-control-regex': 'off',
			'no-empty': ['error', {allowEmptyCatch: true}],
			// Exit codes come from the one table in source/domain/model.ts, never a bare number.
			'no-restricted-syntax': ['error', {selector: 'Property[key.name="exitCode"] > Literal[raw=/^[0-9]+$/]', message: 'Use exitCodes.<name> from source/domain/model.ts.'}],
		},
	},
	{
		files: ['source/**/*.tsx', 'source/ui/**/*.ts'],
		plugins: {'react-hooks': reactHooks},
		rules: {'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error'},
	},
	// ---- the layers ----
	{
		files: ['source/domain/**'],
		rules: {...pure(layer('adapters', 'workflow', 'ui', 'commands', 'cli', 'report'), 'domain/ imports no other layer.'), 'no-restricted-imports': ['error', {
			paths: [...ioModules.map(name => ({name, message: ioMessage})), {name: 'react', message: 'No React in domain/.'}, {name: 'ink', message: 'No Ink in domain/.'}],
			patterns: [{regex: layer('adapters', 'workflow', 'ui', 'commands', 'cli', 'report'), message: 'domain/ imports no other layer.'}],
		}]},
	},
	{
		files: ['source/workflow/**'],
		rules: {
			'no-restricted-imports': ['error', {
				paths: [...ioModules.map(name => ({name, message: ioMessage})), {name: 'react', message: 'No React in workflow/.'}, {name: 'ink', message: 'No Ink in workflow/.'}, {name: 'execa', message: ioMessage}],
				patterns: [{regex: layer('adapters', 'ui', 'commands', 'cli', 'report'), message: 'workflow/ imports domain/ and its own ports only.'}],
			}],
			'no-restricted-globals': ['error', {name: 'process', message: ioMessage}],
		},
	},
	{
		files: ['source/adapters/**'],
		rules: {
			...restrict(`${layer('ui', 'commands', 'cli', 'report')}|(^|/)workflow/(?!ports)`, 'adapters/ implement ports: they import domain/ and workflow/ports*, never ui/, commands/, cli/, report/ or other workflow/ files.', {paths: [{name: 'react', message: 'No React in adapters/.'}, {name: 'ink', message: 'No Ink in adapters/.'}]}),
			...noEnv,
		},
	},
	{
		files: ['source/ui/**'],
		rules: {...restrict(layer('adapters', 'commands', 'cli'), 'ui/ imports workflow/, domain/ and report/ only.', {paths: [{name: 'execa', message: 'The UI starts no processes.'}, ...ioModules.filter(name => name.includes('fs') || name.includes('child_process')).map(name => ({name, message: 'The UI does no I/O.'}))]}), ...noEnv},
	},
	{
		files: ['source/report/**'],
		rules: {...restrict(layer('adapters', 'commands', 'cli', 'ui'), 'report/ renders domain events: it imports domain/ and workflow/ only.'), ...noEnv},
	},
	{
		files: ['source/commands/**'],
		rules: {...restrict(`${layer('adapters')}|(^|/)cli/compose`, 'commands/ get their ports from the composition root; they never build adapters.'), ...noEnv},
	},
	{
		// Tests and tools poll and step on purpose, and assert literal exit codes as a user sees them.
		files: ['test/**', 'scripts/**', 'tools/**', 'eslint.config.js', 'vitest.config.ts'],
		rules: {'@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off', 'no-useless-assignment': 'off', 'preserve-caught-error': 'off', 'require-yield': 'off'},
	},
);
