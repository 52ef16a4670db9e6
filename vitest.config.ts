import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		// A stale dist/ is rebuilt before anything drives it; a registry or stand-in a test started and
		// left running fails the run.
		globalSetup: ['test/global-setup.ts', 'test/helpers/test-bed-guard.ts'],
		setupFiles: ['test/helpers/test-bed-file-guard.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// tmux end-to-end suites share one tmux server; keep files from starving the 2-core CI box.
		maxWorkers: 2,
	},
});
