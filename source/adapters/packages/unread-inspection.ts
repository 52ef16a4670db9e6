// What an inspection says of a package it did not read whole: refused at the door (not a file,
// unreadable), or still being copied. Neither is ever cached.
import path from 'node:path';
import type {PackageInspection} from '../../domain/packages/inspection.js';
import {parsePackageName} from '../../domain/packages/package-name.js';
import {stillCopyingFinding, type StillCopying} from '../../domain/packages/still-copying.js';
import type {Finding} from '../../domain/shared/findings.js';
import {inspectionSchema} from './inspection-cache.js';
import type {OpenRefusal} from './open-package.js';

function unread(display: string, size: number, finding: Finding, integrity: PackageInspection['integrity']): PackageInspection {
	const fileName = path.basename(display);
	const name = parsePackageName(fileName);
	return {
		path: display,
		fileName,
		size,
		mtimeMs: 0,
		name,
		kind: name?.kind,
		sha512: '',
		uncompressedBytes: 0,
		entries: 0,
		charts: [],
		images: [],
		arch: {fromName: name?.arch, fromImages: [], confirmedByContents: false},
		integrity,
		complete: false,
		findings: [finding],
		inspectedAt: new Date().toISOString(),
		schema: inspectionSchema,
	};
}

export function refused({display, finding}: OpenRefusal): PackageInspection {
	return unread(display, 0, finding, {state: 'damaged'});
}

/** Not damaged: nothing is known of its checksum yet, and it says how far the copy has got. */
export function stillCopying(display: string, copying: StillCopying): PackageInspection {
	return {...unread(display, copying.size, stillCopyingFinding(copying), {state: 'unknown'}), copying};
}
