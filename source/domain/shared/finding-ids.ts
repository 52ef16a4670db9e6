// The names findings go by outside the program: in `plan --json`, in `--accept ID`, in the
// Ansible role's failure messages. Internal codes may be renamed; these may not, so each code
// maps to its public id here, and a new code does not compile until it has one.
import type {FindingCode} from './findings.js';

export type FindingName = {
	/** Stable, kebab-case: scripts match on it. */
	id: string;
	/**
	 * A hazard loses something when the run goes ahead (an arch, an image under a tag, an entry of
	 * the config): `run --yes` refuses it until `--accept <id>` names it.
	 */
	hazard: boolean;
};

const finding = (id: string): FindingName => ({id, hazard: false});
const hazard = (id: string): FindingName => ({id, hazard: true});

export const findingNames: Record<FindingCode, FindingName> = {
	'name-unrecognised': finding('name-unrecognised'),
	'incomplete-download': finding('incomplete-download'),
	'still-copying': finding('still-copying'),
	'suspiciously-small': finding('suspiciously-small'),
	'kind-unknown': finding('kind-unknown'),
	'kind-arch-unpublished': finding('kind-arch-unpublished'),
	'release-kind-missing': finding('release-kind-missing'),
	'release-versions-mixed': finding('release-versions-mixed'),
	'kind-stays-single-arch': finding('kind-stays-single-arch'),
	'checksum-verified': finding('checksum-verified'),
	'checksum-mismatch': finding('checksum-mismatch'),
	'checksum-unknown': finding('checksum-unknown'),
	'sidecar-verified': finding('sidecar-verified'),
	'sidecar-mismatch': finding('sidecar-mismatch'),
	'checksum-list-verified': finding('checksum-list-verified'),
	'checksum-list-mismatch': finding('checksum-list-mismatch'),
	truncated: finding('truncated'),
	corrupt: finding('corrupt'),
	'no-charts': finding('no-charts'),
	unreadable: finding('unreadable'),
	'not-a-file': finding('not-a-file'),
	'path-not-utf8': finding('path-not-utf8'),
	'images-damaged': finding('images-damaged'),
	'entry-damaged': finding('entry-damaged'),
	'entry-over-cap': finding('entry-over-cap'),
	'unsafe-entries': finding('unsafe-entries'),
	'hints-unreadable': finding('hints-unreadable'),
	'arch-mismatch': finding('arch-mismatch'),
	'arch-mixed-images': finding('arch-mixed-images'),
	'arch-unconfirmed': finding('arch-unconfirmed'),
	'config-missing': finding('config-missing'),
	'config-malformed': finding('config-malformed'),
	'config-invalid': finding('config-invalid'),
	'config-entry-dropped': hazard('config-entry-dropped'),
	// The seed's pitfall: the installer force-pushes single-arch images over multi-arch lists.
	'arch-conflict-below-0.12': hazard('below-0.12-single-arch'),
	'arch-lost-in-plan': hazard('arch-lost'),
	'image-replaced': hazard('image-overwritten'),
	'arch-missing-after-plan': finding('arch-missing-after-plan'),
	'versions-mixed-in-registry': finding('versions-mixed-in-registry'),
	'registry-unchecked': finding('registry-unchecked'),
	'already-in-registry': finding('already-in-registry'),
	downgrade: finding('downgrade'),
	'same-version': finding('same-version'),
	'mixed-kinds': finding('mixed-kinds'),
	'registry-space-missing': finding('registry-space-missing'),
	'disk-short': finding('disk-short'),
	'installer-missing': finding('installer-missing'),
	'installer-cannot-run': finding('installer-cannot-run'),
	'baseline-unavailable': finding('baseline-unavailable'),
	'duplicate-arch': finding('duplicate-arch'),
	'package-changed': finding('package-changed'),
	'installer-known-issue': finding('installer-known-issue'),
};

/** The public id of a finding's code. */
export const findingId = (code: FindingCode): string => findingNames[code].id;
