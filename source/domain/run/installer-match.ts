// Whether a process on the host is an installer this run would collide with: it works in one of the
// run's working directories, or its arguments name the run's clusterConfig.yaml. Another user's
// working directory cannot be read without root (/proc/PID/cwd), while its command line always can:
// then the arguments alone decide, and the reason says so.
import path from 'node:path';

/** One process as /proc shows it to this user. */
export type SeenProcess = {
	pid: number;
	argv: string[];
	user: string;
	/** Undefined when it cannot be read (another user's, not root). */ cwd?: string;
};

export type InstallerQuestion = {
	/** The run's working directories, resolved through symlinks. */
	workdirs: string[];
	/** clusterConfig.yaml as given and as resolved. */
	configPaths: string[];
	/** Base names an installer goes by (`dce5-installer`, the plan's installer file). */
	installerNames: string[];
	selfPid: number;
};

/** `dce5-installer`, also as `node /root/dce5-installer …` or `/bin/sh ./dce5-installer …`. */
export function runsInstaller(argv: string[], names: string[]): boolean {
	return argv.slice(0, 2).some(arg => names.includes(path.posix.basename(arg)));
}

/** An argument that names one of `files`: `-c FILE`, `--config=FILE`, relative to `cwd` when it is known. */
function namesFile(argv: string[], files: string[], cwd: string | undefined): boolean {
	return argv.slice(1).some(arg => {
		const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
		const resolved = cwd ? path.resolve(cwd, value) : value;
		return files.includes(resolved);
	});
}

/** Why `seen` collides with the run, or undefined when it does not. */
export function installerCollision(seen: SeenProcess, question: InstallerQuestion): string | undefined {
	if (seen.pid === question.selfPid || !runsInstaller(seen.argv, question.installerNames)) {
		return undefined;
	}

	if (seen.cwd !== undefined && question.workdirs.includes(seen.cwd)) {
		return `works in ${seen.cwd}`;
	}

	const config = question.configPaths[0] ?? '';
	if (namesFile(seen.argv, question.configPaths, seen.cwd)) {
		return seen.cwd === undefined
			? `its arguments name ${config}; its working directory cannot be read as this user, so only its arguments were compared`
			: `its arguments name ${config}`;
	}

	return undefined;
}
