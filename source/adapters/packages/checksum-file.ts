// The operator's --checksums file, parsed: a line it cannot use is a warning, an unreadable file
// or one with no usable line an error with the next step.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseChecksumList, type ChecksumList} from '../../domain/packages/checksum-list.js';
import {exitCodes, type WizardError} from '../../domain/shared/wizard-error.js';

export async function loadChecksums(file: string | undefined): Promise<{list: ChecksumList; warnings: string[]} | WizardError | undefined> {
	if (file === undefined) {
		return undefined;
	}

	const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
	if (typeof text !== 'string') {
		return {
			kind: 'checksums-unreadable',
			message: `Cannot read the --checksums file ${file} (${text.code ?? text.message}).`,
			hint: 'Check the path, or leave --checksums out.',
			exitCode: exitCodes.badInput,
		};
	}

	const list = parseChecksumList(text, path.basename(file));
	if (list.entries.length === 0) {
		return {
			kind: 'checksums-empty',
			message: `${file} holds no sha512 value the wizard could attach to a package.`,
			hint: 'Paste the lines of the download page (sha512sum output, or the table), then pass the file again.',
			exitCode: exitCodes.badInput,
		};
	}

	return {
		list,
		warnings: list.problems.map(problem => `--checksums ${path.basename(file)} line ${problem.line}: not used (${problem.reason}).`),
	};
}
