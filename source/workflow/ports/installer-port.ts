// Starting the installer: one child per step, in its own process group, its output in capture
// files; and what the installer says of itself (its pid's identity, its version) for the record
// and the history.
import type {CaptureFiles} from './capture-port.js';

export type ProcessExit = {
	exitCode?: number;
	signal?: string;
	spawnError?: string;
	/** Why the kernel would not run the file, when that is known (e.g. `an aarch64 binary on this x64 machine`). */
	spawnDetail?: string;
};

export type InstallerProcess = {
	pid?: number;
	capture?: CaptureFiles;
	exited: Promise<ProcessExit>;
	/** Lets the wizard exit while the installer runs on (the view was left); `exited` may then never settle. */
	release?(): void;
};

export type SpawnRequest = {
	argv: string[];
	cwd: string;
	env?: Record<string, string | undefined>;
	/** Private folder for the capture files (0700; files 0600). */
	captureDir: string;
};

export type InstallerPort = {
	spawn(request: SpawnRequest): InstallerProcess;
	/** Boot and start time of a process, recorded with the installer's pid so a reused pid is not taken for it. */
	identify?(pid: number): string | undefined;
	/** `<installer> --version`, for the history; undefined when it does not say. */
	version?(installerPath: string): Promise<string | undefined>;
};
