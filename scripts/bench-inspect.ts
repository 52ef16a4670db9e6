// One inspection in a process of its own, for scripts/bench.ts and the gzip-bomb test: prints one
// JSON line with the time, the peak resident set size (process.resourceUsage().maxRSS, KiB) and the
// findings, so memory use can be judged without the caller's own allocations mixed in.
// Usage: tsx scripts/bench-inspect.ts FILE
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {inspectPackage} from '../source/adapters/packages/inspect-package.js';

const file = process.argv[2];
if (!file) {
	process.stderr.write('usage: tsx scripts/bench-inspect.ts FILE\n');
	process.exit(2);
}

const cacheDir = await mkdtemp(path.join(tmpdir(), 'bench-inspect-cache-'));
try {
	// High-water mark after loading the code, before reading a byte: the floor the inspection adds to.
	const baselineMaxRSSKiB = process.resourceUsage().maxRSS;
	const started = performance.now();
	const inspection = await inspectPackage(file, {useCache: false, cacheDir});
	const seconds = (performance.now() - started) / 1000;
	process.stdout.write(
		`${JSON.stringify({
			seconds,
			maxRSSKiB: process.resourceUsage().maxRSS,
			baselineMaxRSSKiB,
			complete: inspection.complete,
			sha512: inspection.sha512,
			size: inspection.size,
			uncompressedBytes: inspection.uncompressedBytes,
			charts: inspection.charts.length,
			images: inspection.images.length,
			findings: inspection.findings.map(({code, severity, message}) => ({code, severity, message})),
		})}\n`,
	);
} finally {
	await rm(cacheDir, {recursive: true, force: true});
}
