// Shows a file in the operator's pager ($PAGER, else less), at its end, on the wizard's terminal;
// resolves when the pager exits, also when it cannot be started (the screens just carry on).
import {execa} from 'execa';
import {withoutWizardSecrets} from '../../domain/registry/location.js';

export async function openPager(file: string, env: Record<string, string | undefined>): Promise<void> {
	const [command = 'less', ...args] = (env['PAGER'] ?? 'less').split(/\s+/).filter(Boolean);
	await execa(command, [...args, '+G', file], {
		stdio: 'inherit',
		reject: false,
		// The pager needs the terminal's variables, not the wizard's registry logins.
		env: withoutWizardSecrets(env),
		extendEnv: false,
	});
}
