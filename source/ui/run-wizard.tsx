// Mounts the wizard on the terminal and resolves with its exit code.
import {render} from 'ink';
import type {Plan} from '../domain/model.js';
import type {WizardPorts} from '../workflow/ports.js';
import {App} from './app.js';
import {glyphsFor} from './glyphs.js';
import type {AttachStart} from './hooks/use-run.js';
import {ThemeContext} from './hooks/use-theme.js';

type Env = Record<string, string | undefined>;

/** The Linux console and non-UTF-8 locales cannot draw box characters or check marks. */
export function shouldUseAscii(env: Env): boolean {
	if (env['ADDON_WIZARD_ASCII'] === '1' || env['TERM'] === 'linux' || env['TERM'] === 'dumb') {
		return true;
	}

	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	return !/utf-?8/i.test(locale);
}

/** NO_COLOR (https://no-color.org) wins unless FORCE_COLOR asks for colour explicitly. */
export function shouldUseColor(env: Env): boolean {
	const force = env['FORCE_COLOR'];
	if (force !== undefined && force !== '') {
		return force !== '0' && force !== 'false';
	}

	return !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

export type RunWizardOptions = {
	ports: WizardPorts;
	preselected?: string[];
	yes?: boolean;
	ascii: boolean;
	color?: boolean;
	graceSeconds?: number;
	attach?: {plan: Plan; start: AttachStart};
	notice?: string;
};

export async function runWizard(options: RunWizardOptions): Promise<number> {
	let code = 1;
	const theme = {glyphs: glyphsFor(options.ascii), color: options.color ?? shouldUseColor(process.env), ascii: options.ascii};
	const instance = render(
		<ThemeContext.Provider value={theme}>
			<App
				ports={options.ports}
				initial={{preselected: options.preselected, yes: options.yes, attachPlan: options.attach?.plan, notice: options.notice}}
				attach={options.attach?.start}
				graceSeconds={options.graceSeconds}
				onExit={exitCode => {
					code = exitCode;
				}}
			/>
		</ThemeContext.Provider>,
		{exitOnCtrlC: false, patchConsole: false},
	);
	await instance.waitUntilExit();
	return code;
}
