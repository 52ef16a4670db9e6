// The run's settings: plain values from the flags and the environment, no I/O behind them.
export type RunSettings = {
	logPath: string;
	/** Between SIGINT, SIGTERM and SIGKILL when the installer is stopped. */
	graceMs: number;
	/** Free bytes under which the wizard offers to stop the installer; derived from the disk size when unset. */
	diskFloorBytes?: number;
	/** How often the disks and the unpacked bytes are sampled. */
	sampleMs: number;
	/** How often capture files are read, and a process group looked at, while the installer runs. */
	pollMs?: number;
	env?: Record<string, string | undefined>;
	captureDir: string;
	/** Registry passwords from clusterConfig.yaml: masked in every output line, on screen and in the log. */
	secrets: readonly string[];
	wizardPid: number;
	/** Without output this long, the run says how long the installer has been silent (default 5 minutes). */
	silentAfterMs?: number;
	/** After the installer exits, how long its leftover processes run before the screens offer to stop them (default 60 s). */
	lingerGraceMs?: number;
	/** After the installer exits, how long the wizard waits for its leftover processes at most (default 120 s); then the step ends naming them. */
	lingerBoundMs?: number;
	/** How long a group being stopped may take to empty before the step ends saying it still runs (default: a grace per signal, plus 5 s). */
	groupGoneMs?: number;
};

/** What `attach` needs of the settings. */
export type AttachSettings = Pick<
	RunSettings,
	'graceMs' | 'sampleMs' | 'pollMs' | 'secrets' | 'diskFloorBytes' | 'silentAfterMs' | 'groupGoneMs'
> & {
	/** How many of the newest replayed output lines are shown again (the rest are counted). */
	replayLines?: number;
};
