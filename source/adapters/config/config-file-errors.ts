// What went wrong opening clusterConfig.yaml, said so the operator knows the next step.
import path from 'node:path';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';

const byCode: Readonly<Record<string, (file: string) => WizardError>> = {
	ENOENT: file => ({
		kind: 'config-missing',
		message: `clusterConfig.yaml not found at ${file}.`,
		hint: 'Pass -c PATH, or run from the folder that holds it.',
		exitCode: exitCodes.badInput,
	}),
	ENOTDIR: file => ({
		kind: 'config-missing',
		message: `clusterConfig.yaml not found at ${file} (a folder on the way is a file).`,
		hint: 'Pass -c PATH, or run from the folder that holds it.',
		exitCode: exitCodes.badInput,
	}),
};

export function configFileError(file: string, error: unknown): WizardError {
	const code = (error as NodeJS.ErrnoException).code;
	const known = code ? byCode[code] : undefined;
	if (known) {
		return known(file);
	}

	return {
		kind: 'config-unreadable',
		message: `Cannot read ${file} (${code ?? String(error)}).`,
		hint: 'Run as a user that can read it, or fix its permissions.',
		exitCode: exitCodes.badInput,
	};
}

export function configIsDirectory(dir: string, hasConfigInside: boolean): WizardError {
	const inside = path.join(dir, 'clusterConfig.yaml');
	return {
		kind: 'config-not-a-file',
		message: `${dir} is a directory, not a clusterConfig.yaml${hasConfigInside ? '' : ' (and it holds none)'}.`,
		hint: hasConfigInside
			? `Pass the file inside it: -c ${inside}`
			: `Pass the file itself, e.g. -c ${inside} (the installer ships its template as offline/sample/clusterConfig.yaml).`,
		exitCode: exitCodes.badInput,
	};
}

export function configNotRegular(file: string): WizardError {
	return {
		kind: 'config-not-a-file',
		message: `${file} is not a regular file (a FIFO, socket or device); clusterConfig.yaml is read only from a file.`,
		hint: 'Pass the clusterConfig.yaml file itself with -c PATH.',
		exitCode: exitCodes.badInput,
	};
}

export function configTooBig(file: string, size: number): WizardError {
	return {
		kind: 'config-too-big',
		message: `${file} is ${formatBytes(size)}; a clusterConfig.yaml is a few KB, so this is not one (a package?).`,
		hint: "Pass the installer's clusterConfig.yaml with -c (its template is offline/sample/clusterConfig.yaml).",
		exitCode: exitCodes.badInput,
	};
}

export function configNotWritable(file: string, code: string): WizardError {
	return {
		kind: 'config-not-writable',
		message: `Cannot write ${file} (${code}); it was left unchanged.`,
		hint: `Make it and its folder writable (chmod u+w ${path.basename(file)}), or set addonPackage.path by hand.`,
		exitCode: exitCodes.badInput,
	};
}
