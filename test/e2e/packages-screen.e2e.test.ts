// The Packages screen in a real terminal: a package still being copied turns ready by itself once
// the copy ends, and a narrow terminal keeps the footer's essential keys.
import {rename} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {e2eScratch, expectFits, flat} from '../helpers/e2e-scratch.js';
import {startSlowCopy} from '../helpers/slow-copy.js';

const {fixture, wizard} = e2eScratch();

// Outside the published checksum table: a package read whole shows "read ok, no checksum".
const version = 'v0.13.9';

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
	}, 240_000);

	it('at 60×24 keeps "enter continue" and "? help" in the footer; after a good import, ? lists only keys that act', async () => {
		const made = await fixture({
			packages: [{version, arch: 'amd64'}],
			imagesAndCharts: 'official-service',
			simulatorEnv: {DCE5_SIM_DELAY_MS: '5'},
		});
		const session = await wizard(made, {columns: 60, rows: 24});
		// At 60 columns the status column is cut ("read ok, no …"); the detail row says it was read.
		const listed = await session.waitFor('3 charts, 3 images', 60_000);
		const footer = listed.split('\n').at(-1)!;
		expect(footer).toContain('enter continue');
		expect(footer).toContain('? help');
		expect(footer).toContain('space select');
		expectFits(listed, 60, 24);

		await session.sendKeys('Space', 'Enter');
		await session.waitFor('Import:', 60_000);
		await session.sendKeys('Enter');
		await session.waitFor('Run now?', 60_000);
		await session.sendKeys('y');
		await session.waitFor('Done in', 60_000);
		await session.sendKeys('?');
		const help = await session.waitFor('close help');
		expect(help).toContain('open the log');
		for (const idle of ['integrate', 'clean up and retry', 'remove it', 'keep it', 'put clusterConfig.yaml back']) {
			expect(help, idle).not.toContain(idle);
		}
	}, 240_000);
});
