// The files a run looks at around the installer: the packages (unchanged since inspected?), the
// config (already edited?), the working directory (writable? a leftover in it, and how big?).
export type FilesPort = {
	readText(path: string): Promise<string | undefined>;
	stat(path: string): Promise<{size: number; mtimeMs: number} | undefined>;
	exists(path: string): Promise<boolean>;
	/** Whether the installer can create addon-offline-target-package in `dir`. */
	canWriteDir(dir: string): Promise<boolean>;
	dirSize(path: string): Promise<number>;
};
