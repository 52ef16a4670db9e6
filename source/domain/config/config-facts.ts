// What the wizard reads from clusterConfig.yaml, and the change it plans to `spec.addonPackage.path`.

export type ImagesAndCharts = {
	type: 'official-service' | 'builtin' | 'external' | string;
	externalImageRepo?: string;
	externalChartRepo?: string;
	externalChartRepoType?: string;
};

/** What the wizard reads from clusterConfig.yaml. */
export type ClusterConfigInfo = {
	path: string;
	apiVersion?: string;
	kind?: string;
	clusterName?: string;
	/** `spec.addonPackage.path`, always as a list (a string becomes one element). */
	addonPackagePaths: string[];
	addonPathShape: 'string' | 'list' | 'absent';
	imagesAndCharts?: ImagesAndCharts;
	/** Password-like values, so logs can mask them. Never printed. */
	secrets?: string[];
};

export type ConfigEdit = {
	/** The file as named (`-c`, or found), possibly a symlink. */
	path: string;
	/**
	 * The file the edit changes: `path` resolved through symlinks (the same when it is no link).
	 * Show it when it differs ("clusterConfig.yaml → /etc/dce/real.yaml"); the backup sits beside it.
	 * Set by planConfigEdit; an edit without it was planned before it existed.
	 */
	realPath?: string;
	/** Value written to `spec.addonPackage.path`, in the file's order. */
	newPaths: string[];
	/** Unified diff of the whole file, for display: passwords masked (the file itself keeps them). */
	diff: string;
	/** The file as read when the edit was planned; applying refuses if it changed since. */
	originalText: string;
	newText: string;
	/** sha256 of the real newText: kept when the texts are masked (a run record), to tell an edit already made. */
	newTextSha256?: string;
	/** The texts were masked (a plan read back from a run record): this edit cannot be written from it. */
	masked?: boolean;
};
