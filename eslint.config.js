// The layer diagram (docs/architecture.md) in executable form: `npm test` runs this first, so a
// change that lets domain code do I/O, or the UI reach past the workflow, fails CI. What each
// layer may import is an allowlist in lint/layers.js, checked by lint/plugin.js.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import layers from './lint/plugin.js';

const ioMessage = 'Pure layers do no I/O: put this behind a port in source/adapters and inject it.';

const noEnv = {
	'no-restricted-properties': [
		'error',
		{
			object: 'process',
			property: 'env',
			message: 'Only the composition root (source/app) reads the environment; take the value as a parameter.',
		},
		{object: 'process', property: 'cwd', message: 'Only the composition root (source/app) reads the working directory.'},
	],
};

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', '.build/**', '.bench/**', '.scratch/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx,js,mjs}'],
		languageOptions: {
			globals: {
				process: 'readonly',
				console: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				setImmediate: 'readonly',
				Buffer: 'readonly',
				URL: 'readonly',
				fetch: 'readonly',
				performance: 'readonly',
				AbortController: 'readonly',
				AbortSignal: 'readonly',
				DOMException: 'readonly',
				TextDecoder: 'readonly',
				TextEncoder: 'readonly',
				Response: 'readonly',
				Request: 'readonly',
				Headers: 'readonly',
				URLSearchParams: 'readonly',
				FormData: 'readonly',
				Blob: 'readonly',
				structuredClone: 'readonly',
				queueMicrotask: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'@typescript-eslint/consistent-type-imports': 'error',
			// Escapes are the subject matter here (installer output is sanitised by pattern).
			'no-control-regex': 'off',
			'no-empty': ['error', {allowEmptyCatch: true}],
			// Exit codes come from the one table in source/domain/shared/wizard-error.ts, never a bare number.
			'no-restricted-syntax': [
				'error',
				...[
					'Property[key.name="exitCode"] > Literal',
					'Property[key.name="exitCode"] > ConditionalExpression > Literal',
					'Property[key.name="exitCode"] > LogicalExpression > Literal',
					'AssignmentExpression[left.property.name="exitCode"] > Literal',
					':function[id.name=/[Ee]xitCode/] ReturnStatement > Literal',
					'VariableDeclarator[id.name=/[Ee]xitCode/] > :function ReturnStatement > Literal',
				].map(selector => ({
					selector: `${selector}[raw=/^[0-9]+$/]`,
					message: 'Use exitCodes.<name> from source/domain/shared/wizard-error.ts, not a bare number.',
				})),
			],
		},
	},
	// ---- the layers: an allowlist per layer, and no import circle anywhere in source/ ----
	{
		files: ['source/**/*.{ts,tsx}', 'cli.tsx'],
		plugins: {layers},
		rules: {'layers/layer-imports': 'error', 'layers/no-import-cycle': 'error'},
	},
	{
		files: ['source/**/*.{ts,tsx}', 'cli.tsx'],
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		rules: {
			'@typescript-eslint/switch-exhaustiveness-check': [
				'error',
				{considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false},
			],
			'@typescript-eslint/no-floating-promises': 'error',
		},
	},
	{
		files: ['source/**/*.tsx', 'source/ui/**/*.ts'],
		plugins: {'react-hooks': reactHooks},
		rules: {'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error'},
	},
	{
		// Pure layers: no process at all; what they need of it comes in as a parameter.
		files: ['source/domain/**', 'source/workflow/**', 'source/report/**'],
		rules: {'no-restricted-globals': ['error', {name: 'process', message: ioMessage}]},
	},
	{
		files: ['source/adapters/**', 'source/ui/**', 'source/report/**'],
		rules: noEnv,
	},
	{
		// Tests and tools poll and step on purpose, and assert literal exit codes as a user sees them.
		files: ['test/**', 'scripts/**', 'tools/**', 'lint/**', 'eslint.config.js', 'vitest.config.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'no-restricted-syntax': 'off',
			'no-useless-assignment': 'off',
			'preserve-caught-error': 'off',
			'require-yield': 'off',
		},
	},
);
