// Inflates a gzip entry (a chart `.tgz`) as it streams past, without ever holding more than a
// zlib chunk of it: the inflated bytes go straight to `onData`, and counting stops the inflation
// at the cap, so a few KB that inflate to terabytes cost one cap's worth of CPU and no memory.
// The outer walk waits on the returned promises, so a slow inflation holds the read back.
import {createGunzip} from 'node:zlib';
import type {EntrySink} from './tar-stream.js';

/** Inflated bytes still allowed for all nested archives of one package. */
export type InflateBudget = {remaining: number};

export type GunzipOutcome =
	{ok: true; inflated: number} | {ok: false; reason: 'over-cap' | 'over-budget' | 'corrupt'; detail: string; inflated: number};

export type CappedGunzipOptions = {
	limit: number;
	budget: InflateBudget;
	/** Receives inflated bytes in order; may return a promise to slow the inflation down. Throwing stops it as corrupt. */
	onData(chunk: Buffer): void | Promise<void>;
	/** Called once, after the last byte was handed over or the inflation stopped. */
	onEnd(outcome: GunzipOutcome): void;
};

const chunkSize = 64 * 1024;

export function cappedGunzipSink(options: CappedGunzipOptions): EntrySink {
	const gunzip = createGunzip({chunkSize});
	let inflated = 0;
	let failure: Extract<GunzipOutcome, {ok: false}> | undefined;
	const stop = (reason: 'over-cap' | 'over-budget' | 'corrupt', detail: string) => {
		failure ??= {ok: false, reason, detail, inflated};
		gunzip.destroy();
	};

	const settled = new Promise<void>(resolve => {
		gunzip.once('close', resolve);
	});
	gunzip.on('error', error => {
		stop('corrupt', error.message);
	});
	gunzip.on('data', (chunk: Buffer) => {
		if (failure) {
			return;
		}

		inflated += chunk.length;
		options.budget.remaining -= chunk.length;
		if (inflated > options.limit) {
			stop('over-cap', `inflates past ${inflated} bytes`);
			return;
		}

		if (options.budget.remaining < 0) {
			stop('over-budget', `inflates past what all nested archives together may (${inflated} bytes from this one)`);
			return;
		}

		try {
			const pending = options.onData(chunk);
			if (pending) {
				gunzip.pause();
				pending.then(
					() => gunzip.resume(),
					(error: unknown) => {
						stop('corrupt', error instanceof Error ? error.message : String(error));
					},
				);
			}
		} catch (error) {
			stop('corrupt', error instanceof Error ? error.message : String(error));
		}
	});

	return {
		data(chunk) {
			if (failure || gunzip.destroyed) {
				return;
			}

			// zlib inflates it later, on its own thread; the caller reuses its buffer once this returns.
			if (!gunzip.write(Buffer.from(chunk))) {
				return new Promise<void>(resolve => {
					const done = () => {
						gunzip.off('drain', done);
						gunzip.off('close', done);
						resolve();
					};

					gunzip.on('drain', done);
					gunzip.on('close', done);
				});
			}
		},
		async end() {
			if (!failure && !gunzip.destroyed) {
				gunzip.end();
			}

			await settled;
			options.onEnd(failure ?? {ok: true, inflated});
		},
	};
}
