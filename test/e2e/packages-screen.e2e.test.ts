// The Packages screen in a real terminal: a package still being copied turns ready by itself once
// the copy ends, and a narrow terminal keeps the footer's essential keys.
import {rename} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {describe, expect, it} from 'vitest';
import {cliPath, type ClusterFixture} from '../helpers/cluster-fixture.js';
import {e2eScratch, expectFits, flat} from '../helpers/e2e-scratch.js';
import {startSlowCopy} from '../helpers/slow-copy.js';
import type {TmuxSession} from '../helpers/tmux.js';

const {fixture, tmux} = e2eScratch();

// Outside the published checksum table: a package read whole shows "read ok, no checksum".
const version = 'v0.13.9';

async function wizard(made: ClusterFixture, size = {columns: 80, rows: 24}): Promise<TmuxSession> {
	return tmux({
		argv: [process.execPath, cliPath, '-c', made.configPath, '--search', made.packagesDir, '--no-verify'],
		cwd: made.workdir,
		env: made.env,
		...size,
	});
}

describe('the Packages screen', () => {
	it('shows a package being copied as such, then reads it once the copy ends, with no key pressed', async () => {
		const made = await fixture({packages: [{version, arch: 'amd64'}], imagesAndCharts: 'official-service'});
		const built = made.packages[0]!;
		const source = path.join(made.root, built.fileName);
		await rename(built.path, source);
		const copy = await startSlowCopy(source, built.path, path.join(made.root, 'gate'));
		try {
			const session = await wizard(made);
			const copying = await session.waitFor('still being copied', 60_000);
			expect(flat(copying)).toMatch(/Still being copied: [\d.]+ KB so far/);
			expect(flat(copying)).toContain('looks again every second');
			expect(copying).not.toMatch(/damaged|truncated/);
			expectFits(copying, 80, 24);

			// The size column follows the copy while nothing is pressed.
			const sizeOf = (screen: string) => /amd64\s+([\d.]+ KB)\s+still being copied/.exec(screen)?.[1];
			const first = sizeOf(copying);
			await session.waitFor(screen => sizeOf(screen) !== undefined && sizeOf(screen) !== first, 30_000);

			await copy.finish();
			const ready = await session.waitFor('read ok, no checksum', 60_000);
			expect(ready).not.toContain('still being copied');
			expect(ready).not.toContain('Not offered');
		} finally {
			copy.stop();
		}
	});
});
