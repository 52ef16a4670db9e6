import {describe, expect, it} from 'vitest';
import {diskFindings, estimateDiskNeeds, stepDiskBytes, type FilesystemInfo} from '../../../source/domain/plan/estimate-disk-needs.js';

const GB = 1_000_000_000;

const fs = (path: string, device: string, freeBytes: number, totalBytes = 100 * GB): FilesystemInfo => ({
	path,
	device,
	freeBytes,
	totalBytes,
});

describe('stepDiskBytes', () => {
	it('counts the unpacked package plus every chart bundle unpacked again to load images', () => {
		expect(stepDiskBytes([{uncompressedBytes: 10 * GB, charts: [{bytes: 3 * GB}, {bytes: 2 * GB}]}])).toBe(15 * GB);
		expect(
			stepDiskBytes([
				{uncompressedBytes: 10 * GB, charts: [{bytes: 1 * GB}]},
				{uncompressedBytes: 4 * GB, charts: [{bytes: 1 * GB}]},
			]),
		).toBe(16 * GB);
		expect(stepDiskBytes([])).toBe(0);
	});
});

describe('estimateDiskNeeds', () => {
	it('counts two paths on one filesystem once', () => {
		const needs = estimateDiskNeeds(
			[
				{path: '/root', role: 'workdir'},
				{path: '/root/packages', role: 'package'},
			],
			[fs('/root', 'dev-1', 50 * GB), fs('/root/packages', 'dev-1', 50 * GB)],
			20 * GB,
			0,
		);
		expect(needs).toHaveLength(1);
		expect(needs[0]).toMatchObject({device: 'dev-1', neededBytes: 20 * GB, freeBytes: 50 * GB, shortBytes: 0});
		expect(needs[0]!.paths).toEqual([
			{path: '/root', role: 'workdir'},
			{path: '/root/packages', role: 'package'},
		]);
	});

	it('counts the workdir need once even when the package folder on the same disk is listed first', () => {
		const needs = estimateDiskNeeds(
			[
				{path: '/data', role: 'package'},
				{path: '/data/work', role: 'workdir'},
				{path: '/data', role: 'watch'},
			],
			[fs('/data', 'dev-1', 5 * GB), fs('/data/work', 'dev-1', 5 * GB)],
			10 * GB,
			0,
		);
		expect(needs).toHaveLength(1);
		expect(needs[0]!.neededBytes).toBe(10 * GB);
		expect(needs[0]!.shortBytes).toBe(5 * GB);
	});

	it('keeps filesystems apart: only the workdir one receives the unpacked data', () => {
		const needs = estimateDiskNeeds(
			[
				{path: '/work', role: 'workdir'},
				{path: '/mnt/usb', role: 'package'},
				{path: '/var/lib/registry', role: 'watch'},
			],
			[fs('/work', 'dev-1', 30 * GB), fs('/mnt/usb', 'dev-2', 1), fs('/var/lib/registry', 'dev-3', 2 * GB)],
			24 * GB,
			0.25,
		);
		expect(needs.map(need => [need.device, need.neededBytes, need.shortBytes])).toEqual([
			['dev-1', 30 * GB, 0],
			['dev-2', 0, 0],
			['dev-3', 0, 0],
		]);
		expect(needs[1]!.basis).toBe('nothing is written here');
	});

	it('applies the margin and computes the shortfall exactly', () => {
		const [need] = estimateDiskNeeds([{path: '/work', role: 'workdir'}], [fs('/work', 'dev-1', 20 * GB)], 24_230_000_001, 0.1);
		// ceil(24_230_000_001 * 1.1) = 26_653_000_002 (rounded up, never down)
		expect(need!.neededBytes).toBe(26_653_000_002);
		expect(need!.shortBytes).toBe(26_653_000_002 - 20 * GB);
		expect(need!.basis).toContain('10% margin');
		expect(need!.basis).toContain('24.2 GB');
	});

	it('a larger margin turns enough space into a shortfall', () => {
		const paths = [{path: '/work', role: 'workdir' as const}];
		const filesystems = [fs('/work', 'dev-1', 11 * GB)];
		expect(estimateDiskNeeds(paths, filesystems, 10 * GB, 0.1)[0]!.shortBytes).toBe(0);
		expect(estimateDiskNeeds(paths, filesystems, 10 * GB, 0.5)[0]!.shortBytes).toBe(4 * GB);
		expect(estimateDiskNeeds(paths, filesystems, 10 * GB, 0.5)[0]!.basis).toContain('50% margin');
	});
});

describe('diskFindings', () => {
	it('blocks with the exact shortfall and where, and names a way out', () => {
		const needs = estimateDiskNeeds(
			[
				{path: '/root', role: 'workdir'},
				{path: '/root/pkgs', role: 'package'},
				{path: '/mnt', role: 'watch'},
			],
			[fs('/root', 'dev-1', 10 * GB), fs('/root/pkgs', 'dev-1', 10 * GB), fs('/mnt', 'dev-2', 0)],
			20 * GB,
			0,
		);
		const findings = diskFindings(needs);
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			code: 'disk-short',
			severity: 'error',
			details: {device: 'dev-1', neededBytes: 20 * GB, freeBytes: 10 * GB, shortBytes: 10 * GB},
		});
		expect(findings[0]!.message).toBe('Not enough disk on /root, /root/pkgs: needs 20.0 GB, 10.0 GB free, short by 10.0 GB.');
		expect(findings[0]!.hint).toContain('--workdir');
	});

	it('says nothing when every filesystem has room', () => {
		const needs = estimateDiskNeeds([{path: '/work', role: 'workdir'}], [fs('/work', 'dev-1', 30 * GB)], 20 * GB, 0.1);
		expect(diskFindings(needs)).toEqual([]);
	});
});
