// Whether the kernel would run a file as a program, read from its first bytes: a binary for another
// CPU must be named as such before anything tries to run it.
import {accessSync, closeSync, constants, existsSync, openSync, readSync, statSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** ELF e_machine values, by the name `uname -m` (and qemu-user's binfmt entry) uses. */
const elfMachines: Record<number, string> = {
	3: 'i386',
	40: 'arm',
	62: 'x86_64',
	183: 'aarch64',
	243: 'riscv64',
	21: 'ppc64le',
	22: 's390x',
	258: 'loongarch64',
};

/** Machines each Node `process.arch` can run natively (32-bit builds on 64-bit kernels usually work). */
const nativeMachines: Partial<Record<NodeJS.Architecture, number[]>> = {
	x64: [62, 3],
	ia32: [3],
	arm64: [183, 40],
	arm: [40],
	riscv64: [243],
	ppc64: [21],
	s390x: [22],
	loong64: [258],
};

function readHeader(file: string, bytes = 20): Buffer | undefined {
	let fd;
	try {
		fd = openSync(file, 'r');
		const header = Buffer.alloc(bytes);
		return header.subarray(0, readSync(fd, header, 0, header.length, 0));
	} catch {
		return undefined; // Missing, unreadable (execute-only) or a directory: spawn reports it.
	} finally {
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
}

/**
 * Why the kernel will refuse to execute `file` (ENOEXEC), or undefined when it will run it.
 * Node retries an ENOEXEC file with /bin/sh, which would interpret a wrong-architecture binary
 * or a damaged download as a shell script; so the wizard checks first and never lets that happen.
 */
export function whyNotExecutable(file: string, arch: NodeJS.Architecture = process.arch): string | undefined {
	const header = readHeader(file);
	if (!header || header.subarray(0, 2).toString('latin1') === '#!') {
		return undefined;
	}

	if (header.subarray(0, 4).toString('latin1') !== '\u007FELF') {
		return 'not a program: neither an ELF binary nor a script with #!';
	}

	if (header.length < 20) {
		return 'a truncated ELF binary';
	}

	const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
	const native = nativeMachines[arch];
	const name = elfMachines[machine] ?? `machine ${machine}`;
	// qemu-user registered in binfmt_misc runs foreign binaries transparently.
	if (!native || native.includes(machine) || existsSync(`/proc/sys/fs/binfmt_misc/qemu-${name}`)) {
		return undefined;
	}

	return `an ${name} binary on this ${arch} machine`;
}

/** The kernel reads at most this much of a `#!` line (BINPRM_BUF_SIZE since Linux 5.1). */
const shebangBytes = 256;

function runnable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

/** `env`'s own options before the program name (`env -S bash -e`, `env -i python3`). */
function envProgram(args: string[]): string | undefined {
	const rest = [...args];
	while (rest[0]?.startsWith('-')) {
		const option = rest.shift()!;
		if (option === '-S' || option === '--split-string') {
			rest.unshift(...(rest.shift() ?? '').split(/\s+/).filter(Boolean));
		} else if (option.startsWith('-S')) {
			rest.unshift(...option.slice(2).split(/\s+/).filter(Boolean));
		}
	}

	return rest.find(arg => !arg.includes('='));
}

/**
 * The interpreter a script's `#!` line names, when it is not on this machine: the kernel then
 * fails the exec with ENOENT, which reads as "installer not found" although the script is there.
 * `#!/usr/bin/env NAME` is looked up on `searchPath` as env would. Undefined for binaries, for
 * scripts whose interpreter is there, and for relative interpreters (resolved against a cwd).
 */
export function missingInterpreter(file: string, searchPath: string | undefined): string | undefined {
	const header = readHeader(file, shebangBytes);
	if (header?.subarray(0, 2).toString('latin1') !== '#!') {
		return undefined;
	}

	const line = header.subarray(2).toString('latin1').split('\n')[0]!.trim();
	const [interpreter, ...args] = line.split(/[ \t]+/).filter(Boolean);
	if (!interpreter || !path.isAbsolute(interpreter)) {
		return undefined;
	}

	if (!runnable(interpreter)) {
		return interpreter;
	}

	if (path.basename(interpreter) !== 'env') {
		return undefined;
	}

	const program = envProgram(args);
	if (!program) {
		return undefined;
	}

	if (program.includes('/')) {
		return runnable(program) ? undefined : program;
	}

	const found = (searchPath ?? '')
		.split(path.delimiter)
		.filter(Boolean)
		.some(dir => runnable(path.join(dir, program)));
	return found ? undefined : `${program} (through ${interpreter}; not on PATH)`;
}
