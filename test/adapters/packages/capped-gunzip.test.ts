// The nested gunzip of a chart .tgz inflates on zlib's threads, after data() returned; the outer
// walk hands it pieces of a buffer it inflates into again at once, so the sink must keep its own.
import {randomBytes} from 'node:crypto';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {cappedGunzipSink, type GunzipOutcome} from '../../../source/adapters/packages/capped-gunzip.js';

describe('cappedGunzipSink', () => {
	it('inflates what it was handed even when the caller overwrites its buffer as soon as data() returns', async () => {
		const plain = randomBytes(64 * 1024);
		const packed = gzipSync(plain);
		const reused = Buffer.alloc(4096);
		const out: Buffer[] = [];
		let outcome: GunzipOutcome | undefined;
		const sink = cappedGunzipSink({
			limit: 1024 * 1024,
			budget: {remaining: 1024 * 1024},
			onData(chunk) {
				out.push(Buffer.from(chunk));
			},
			onEnd(result) {
				outcome = result;
			},
		});
		for (let offset = 0; offset < packed.length; offset += reused.length) {
			const length = packed.copy(reused, 0, offset);
			await sink.data(reused.subarray(0, length));
			reused.fill(0xff);
		}

		await sink.end();
		expect(outcome).toEqual({ok: true, inflated: plain.length});
		expect(Buffer.concat(out).equals(plain)).toBe(true);
	});
});
