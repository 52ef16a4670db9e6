import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		// Fails the run when a registry or stand-in a test started is still running afterwards.
		globalSetup: ['test/helpers/test-bed-guard.ts'],
		setupFiles: ['test/helpers/test-bed-file-guard.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// tmux end-to-end suites share one tmux server; keep files from starving the 2-core CI box.
		maxWorkers: 2,
	},
});
