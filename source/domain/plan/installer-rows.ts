// Whether dce5-installer can start here, as findings and as its pre-flight row: found, a file,
// executable, built for this CPU, its interpreter present.
import type {Finding, FindingCode} from '../shared/findings.js';
import type {InstallerFacts, PreflightCheck, PreflightFacts} from './plan.js';

const cannotRunHint = 'Copy the dce5-installer built for this CPU (uname -m) and pass --installer PATH.';

/** Why dce5-installer cannot start, as findings (they block): found, a file, executable, this CPU, its interpreter. */
export function installerFindings(installer: InstallerFacts): Finding[] {
	const problem = (code: FindingCode, message: string, hint: string): Finding[] => [{code, severity: 'error', message, hint}];
	if (!installer.found) {
		return problem(
			'installer-missing',
			`dce5-installer not found (looked for ${installer.path} and on PATH).`,
			'Pass --installer /path/to/dce5-installer.',
		);
	}

	if (installer.isDirectory) {
		return problem(
			'installer-missing',
			`${installer.path} is a directory, not the dce5-installer program.`,
			`Pass --installer with the program itself, e.g. --installer ${installer.path}/dce5-installer if it was unpacked there.`,
		);
	}

	if (installer.executable === false) {
		return problem('installer-missing', `${installer.path} is not executable.`, `Run chmod +x ${installer.path}.`);
	}

	if (installer.cannotRun) {
		return problem('installer-cannot-run', `${installer.path} cannot run on this machine: ${installer.cannotRun}.`, cannotRunHint);
	}

	return installer.missingInterpreter
		? problem(
				'installer-cannot-run',
				`${installer.path} is a script for ${installer.missingInterpreter}, which is not on this machine.`,
				`Install ${installer.missingInterpreter} or use the dce5-installer binary built for this machine (--installer PATH).`,
			)
		: [];
}

/** The installer's row: the first reason it cannot start, or a pass. */
export function installerRow(facts: PreflightFacts): PreflightCheck {
	const [problem] = installerFindings(facts.installer);
	return problem
		? {id: 'installer', status: 'block', message: problem.message, hint: problem.hint, code: problem.code}
		: {id: 'installer', status: 'pass', message: `dce5-installer ${facts.installer.path} can start`};
}
