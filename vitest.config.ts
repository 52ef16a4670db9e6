import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// tmux end-to-end suites share one tmux server; keep files from starving the 2-core CI box.
		maxWorkers: 2,
	},
});
