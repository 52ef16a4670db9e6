// `addon-wizard status`: the active or last run for a config, as a few lines or one Status
// document. Exit 0 whenever the status could be told, `none` included: a script polling it (Ansible's
// `async`) reads the run's own exit code from the document, not from this one.
import type {Options} from '../options.js';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import {heldStatusDocument, statusDocument} from '../../report/contract/status-document.js';
import {renderStatusText} from '../../report/run/status-text.js';
import {writeError} from '../../report/io.js';
import type {Services} from './services.js';

export async function runStatusCommand(options: Options, services: Services): Promise<number> {
	const {config, record, facts, held, refused} = await services.runStatus();
	if (refused) {
		// A record this account wrote that cannot be used: its cause and next step, never half of it.
		return writeError(services.io, refused, options.json);
	}

	const status = held ? heldStatusDocument(held.holder, held.cause) : statusDocument(config, record, facts);
	services.io.stdout(options.json ? `${JSON.stringify(status)}\n` : renderStatusText(status));
	return exitCodes.ok;
}
