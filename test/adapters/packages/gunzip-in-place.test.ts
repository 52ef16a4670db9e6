// The package's own gzip inflated into one reused buffer must read exactly as zlib's stream does:
// the same bytes, the same errors for a cut-off or damaged stream, concatenated members read on.
import {randomBytes} from 'node:crypto';
import {gunzipSync, gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {GunzipInPlace, inflateBytes} from '../../../source/adapters/packages/gunzip-in-place.js';

/** Inflates `input` fed in pieces; the consumer copies each piece and sometimes makes the gunzip wait. */
async function inflate(input: Buffer, piece = 100_000): Promise<{data: Buffer; error?: NodeJS.ErrnoException}> {
	const out: Buffer[] = [];
	const gunzip = new GunzipInPlace(chunk => {
		out.push(Buffer.from(chunk));
		return out.length % 2 === 0 ? new Promise(resolve => setImmediate(resolve)) : undefined;
	});
	try {
		for (let offset = 0; offset < input.length; offset += piece) {
			await gunzip.write(input.subarray(offset, offset + piece));
		}

		await gunzip.end();
		return {data: Buffer.concat(out)};
	} catch (error) {
		return {data: Buffer.concat(out), error: error as NodeJS.ErrnoException};
	}
}

function zlibSays(input: Buffer): string {
	try {
		gunzipSync(input);
		return 'ok';
	} catch (error) {
		return (error as NodeJS.ErrnoException).code!;
	}
}

describe('GunzipInPlace', () => {
	const plain = Buffer.concat([randomBytes(3 * inflateBytes), Buffer.alloc(8 * inflateBytes, 'addon '), randomBytes(1000)]);
	const packed = gzipSync(plain);

	it('hands over the same bytes as zlib, in pieces no larger than its one buffer', async () => {
		const pieces: number[] = [];
		const gunzip = new GunzipInPlace(chunk => {
			pieces.push(chunk.length);
		});
		await gunzip.write(packed);
		await gunzip.end();
		expect(Math.max(...pieces)).toBeLessThanOrEqual(inflateBytes);
		expect((await inflate(packed)).data.equals(plain)).toBe(true);
	});

	it('reads concatenated gzip members on, and ignores zero padding after the last, as zlib does', async () => {
		expect((await inflate(Buffer.concat([packed, packed]))).data.equals(Buffer.concat([plain, plain]))).toBe(true);
		expect((await inflate(Buffer.concat([packed, Buffer.alloc(700)]))).data.equals(plain)).toBe(true);
	});

	it('fails as zlib fails: a cut-off stream at its end, damaged bytes and a wrong CRC where they are found', async () => {
		const cut = packed.subarray(0, packed.length - 9);
		const damaged = Buffer.from(packed);
		damaged[packed.length - 7]! ^= 0x01;
		for (const input of [cut, damaged, Buffer.from('not gzip at all'), Buffer.alloc(0)]) {
			const {error} = await inflate(input);
			expect(error?.code).toBe(zlibSays(input));
			expect(error?.code).toMatch(/^Z_(BUF|DATA)_ERROR$/);
		}

		expect((await inflate(cut)).error?.code).toBe('Z_BUF_ERROR');
	});

	it('stops at once when the consumer throws (the inflation cap)', async () => {
		let pieces = 0;
		const gunzip = new GunzipInPlace(() => {
			pieces++;
			throw new Error('cap');
		});
		await expect(gunzip.write(packed)).rejects.toThrow('cap');
		expect(pieces).toBe(1);
		gunzip.destroy();
	});
});
