// What the wizard tells the operator: a finding is a cause with the values that matter and a next step.

export type Severity = 'info' | 'warning' | 'error';

/**
 * Something the user must be told. `error` findings block: a package with one is not
 * offered for import, a plan with one exits 3. Every finding carries a next step.
 */
export type Finding = {
	code: FindingCode;
	severity: Severity;
	/** One line: the cause, with the values that matter. */
	message: string;
	/** One line: what to do next. */
	hint?: string;
	details?: Record<string, unknown>;
};

export type FindingCode =
	// Discovery and naming
	| 'name-unrecognised'
	| 'incomplete-download'
	/** A process holds the file open for writing, or it grew between two looks: a copy under way, not damage. */
	| 'still-copying'
	| 'suspiciously-small'
	/** The kind is not in the wizard's table (a newer release); parsed and offered all the same. */
	| 'kind-unknown'
	/** The kinds table has no such file (e.g. metax for arm64, jenkins before v0.44). */
	| 'kind-arch-unpublished'
	// Release sets
	/** A kind the release publishes for this arch was not found (or not chosen). */
	| 'release-kind-missing'
	/** Packages of different versions chosen for one arch: blocks. */
	| 'release-versions-mixed'
	/** A kind of the primary arch has no package for another arch of the cluster (metax: amd64 only). */
	| 'kind-stays-single-arch'
	// Integrity
	| 'checksum-verified'
	| 'checksum-mismatch'
	| 'checksum-unknown'
	| 'sidecar-verified'
	| 'sidecar-mismatch'
	/** Matches a line of the operator's --checksums FILE. */
	| 'checksum-list-verified'
	| 'checksum-list-mismatch'
	| 'truncated'
	| 'corrupt'
	| 'no-charts'
	| 'unreadable'
	/** Named like a package but a FIFO, a device, a directory: never opened for reading. */
	| 'not-a-file'
	/** The path is not UTF-8: readable here, but it cannot be handed to the installer. */
	| 'path-not-utf8'
	// Contents (the walk of the package)
	/** A bundle's images.tar cannot be loaded: manifest.json missing or not JSON, a config or layer it names missing, a config that does not match its digest. */
	| 'images-damaged'
	/** A nested archive (bundle, chart .tgz) is cut off or does not decode. */
	| 'entry-damaged'
	/** An entry passed a read cap (a gzip bomb, a giant manifest): damaged or hostile. */
	| 'entry-over-cap'
	/** Entries the installer would unpack outside its folder, as links or as devices. */
	| 'unsafe-entries'
	/** A chart's hints.yaml or values.yaml is not readable YAML (an alias bomb, a syntax error). */
	| 'hints-unreadable'
	// Architecture
	| 'arch-mismatch'
	| 'arch-mixed-images'
	| 'arch-unconfirmed'
	// Cluster config
	| 'config-missing'
	| 'config-malformed'
	| 'config-invalid'
	/** An entry of spec.addonPackage.path the new value no longer names. */
	| 'config-entry-dropped'
	// Plan hazards
	| 'arch-conflict-below-0.12'
	/** Tags the registry holds in an arch that a step of the plan takes away (not the <0.12.0 force-push). */
	| 'arch-lost-in-plan'
	/** Tags that hold another image, in an arch the plan pushes, that the plan pushes over (the old one is no longer tagged). */
	| 'image-replaced'
	/** Tags the plan leaves without an arch the cluster runs. */
	| 'arch-missing-after-plan'
	/** An integration alone of a release the chart repository holds at other versions. */
	| 'versions-mixed-in-registry'
	/** `--require-registry` and the registry could not be read. */
	| 'registry-unchecked'
	/** Every tag and chart of the plan is in the registry as the plan would leave it. */
	| 'already-in-registry'
	| 'downgrade'
	| 'same-version'
	| 'mixed-kinds'
	| 'registry-space-missing'
	| 'disk-short'
	| 'installer-missing'
	| 'installer-cannot-run'
	| 'baseline-unavailable'
	| 'duplicate-arch'
	| 'package-changed'
	/** A setting of clusterConfig.yaml the installer's release notes list as a known failure (config/known-installer-issues.ts). */
	| 'installer-known-issue';
