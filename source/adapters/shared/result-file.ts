// `run --result-file PATH`: the final RunResult, written whole or not at all (a temp file beside
// it, then a rename), so a poller never reads half a document. The path is checked before the run
// starts: a run that imports for an hour and then cannot say how it ended is worse than a refusal.
import {constants} from 'node:fs';
import {access, stat} from 'node:fs/promises';
import path from 'node:path';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';
import {writeFileAtomic} from './atomic-write.js';

export const resultFileRefused = 'result-file-invalid';

const badPath = (file: string, why: string): WizardError => ({
	kind: resultFileRefused,
	message: `--result-file ${file}: ${why}; nothing was run.`,
	hint: 'Pass a file path in a folder that exists and that you may write to, e.g. --result-file ./addon-wizard-result.json.',
	exitCode: exitCodes.badInput,
});

/** Undefined when the file can be written there: its folder is a writable folder, and the path is not a folder itself. */
export async function checkResultFile(file: string): Promise<WizardError | undefined> {
	const folder = path.dirname(file);
	const folderInfo = await stat(folder).catch(() => undefined);
	if (!folderInfo?.isDirectory()) {
		return badPath(file, `the folder ${folder} does not exist`);
	}

	if ((await stat(file).catch(() => undefined))?.isDirectory()) {
		return badPath(file, 'it is a folder');
	}

	const writable = await access(folder, constants.W_OK).then(
		() => true,
		() => false,
	);
	return writable ? undefined : badPath(file, `the folder ${folder} is not writable`);
}

/** The document as one JSON line, mode 0644 (a poller under another account may read it). */
export async function writeResultFile(file: string, text: string): Promise<WizardError | undefined> {
	try {
		await writeFileAtomic(file, text, {mode: 0o644});
		return undefined;
	} catch (error) {
		return {
			kind: 'result-file-unwritable',
			message: `Cannot write --result-file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
			hint: 'The run itself is over; its outcome is in the output above and in its log.',
			exitCode: exitCodes.failure,
		};
	}
}
