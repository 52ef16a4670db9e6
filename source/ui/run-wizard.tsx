// Mounts the wizard on the terminal and resolves with its exit code.
import {render} from 'ink';
import type {Plan} from '../domain/plan/plan.js';
import type {WizardPorts} from '../workflow/ports/ports.js';
import {App, type SignalSource} from './app.js';
import {glyphsFor} from './glyphs.js';
import {ThemeContext} from './hooks/use-theme.js';

export type RunWizardOptions = {
	ports: WizardPorts;
	preselected?: string[];
	yes?: boolean;
	ascii: boolean;
	color: boolean;
	graceSeconds?: number;
	attach?: {plan: Plan};
	notice?: string;
	signals: SignalSource;
};

export async function runWizard(options: RunWizardOptions): Promise<number> {
	let code = 1;
	const theme = {glyphs: glyphsFor(options.ascii), color: options.color, ascii: options.ascii};
	const instance = render(
		<ThemeContext.Provider value={theme}>
			<App
				ports={options.ports}
				initial={{preselected: options.preselected, yes: options.yes, attachPlan: options.attach?.plan, notice: options.notice}}
				graceSeconds={options.graceSeconds}
				signals={options.signals}
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
