// What a run record cannot say about itself, read from the host when `status` asks: whether the
// wizard and its installer still live, whose wizard it is, and what the last registry check after
// a step found (from the journal in the run log).
import type {RunFacts} from '../../domain/run/run-facts.js';
import type {RunRecord} from '../../workflow/ports/run-record-port.js';
import {isAlive} from '../host/process-control.js';
import {sameProcessAlive} from '../host/process-identity.js';
import {fileOwner, processOwner} from '../host/user-names.js';

/** The state of the last `step-verified` event the run journaled. */
async function lastVerification(logPath: string): Promise<RunFacts['lastVerification']> {
	// Loaded here, not with compose.ts: the journal's schema loads zod, which `plan` never needs.
	const {openJournal} = await import('./run-log.js');
	const journal = openJournal(logPath);
	let last: RunFacts['lastVerification'];
	try {
		for (let more = true; more;) {
			const read = await journal.read();
			for (const entry of read.entries) {
				if (entry.kind === 'event' && entry.event.type === 'step-verified') {
					last = entry.event.verification.state;
				}
			}

			more = read.more;
		}
	} finally {
		await journal.close();
	}

	return last;
}

export async function readRunFacts(record: RunRecord): Promise<RunFacts> {
	const wizardAlive = isAlive(record.wizardPid);
	const user = (wizardAlive ? await processOwner(record.wizardPid) : undefined) ?? (await fileOwner(record.logPath));
	return {
		wizardAlive,
		installerAlive: sameProcessAlive(record.installerPid, record.installerIdentity),
		...(user ? {user} : {}),
		lastVerification: await lastVerification(record.logPath),
	};
}
