// The pre-flight's word on a leftover that holds files its packages do not explain: said on the
// plan and on Review, before anything asks, so a clean-up is never refused only after `y`.
import {describeUnexplained, type UnexplainedFiles} from '../packages/leftover-explained.js';
import {formatBytes} from '../shared/format-bytes.js';
import type {PreflightCheck, PreflightFacts} from './plan.js';

const files = (found: UnexplainedFiles) => (found.count === 1 ? '1 file' : `${found.count} files`);

/** Whether a clean-up of this leftover would be refused: unexplained files the operator has not confirmed. */
export function cleanupRefused(facts: PreflightFacts | undefined): boolean {
	return Boolean(facts?.leftover?.unexplained && !facts.cleanupUnexplained);
}

/**
 * The leftover row when the directory holds unexplained files, or undefined when it holds none.
 * Confirmed (--cleanup-unexplained) and removing: a warning that names them; otherwise a block
 * that names them and says how to keep them or to confirm.
 */
export function unexplainedLeftoverRow(facts: PreflightFacts, removing: boolean, firstStep: number): PreflightCheck | undefined {
	const leftover = facts.leftover;
	const found = leftover?.unexplained;
	if (!leftover || !found) {
		return undefined;
	}

	const why = found.why ? ` (${found.why})` : '';
	const named = `${files(found)} the package does not explain${why}: ${describeUnexplained(found)}`;
	const size = formatBytes(leftover.bytes);
	if (facts.cleanupUnexplained && removing) {
		return {
			id: 'leftover',
			status: 'warn',
			message: `Removes the leftover ${leftover.path} (${size}) just before step ${firstStep}, with ${named} (--cleanup-unexplained).`,
			hint: 'It is checked again just before, and kept if an installer is still writing there.',
		};
	}

	const them = found.count === 1 ? 'it' : 'them';
	return {
		id: 'leftover',
		status: 'block',
		message: `Leftover ${leftover.path} (${size}) holds ${named}. The clean-up will not delete ${them}, and the installer stops on the directory.`,
		hint: facts.cleanupUnexplained
			? `Run with --cleanup to delete the directory along with ${them}; or move ${them} out of ${leftover.path} first`
			: `Move ${them} out of ${leftover.path} if you want to keep ${them}, then try again; or run with --cleanup --cleanup-unexplained to delete the directory along with ${them}`,
	};
}
