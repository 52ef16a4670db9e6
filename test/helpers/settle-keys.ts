// Proving that a key did nothing, without waiting a while and hoping: the keys pressed before are
// followed by help, opened and closed. Keys are handled in order, and React runs one render's
// effects before it starts the next, so once the frame with help closed again is drawn, whatever
// the earlier keys set off (a port call, an exit) has been set off.
import type {WizardHarness} from './fake-ports.js';

const help = 'Keys on this screen';

/** Opens and closes help after the keys already pressed; returns the frame with help closed. */
export async function settleKeys(harness: WizardHarness): Promise<string> {
	await harness.pressAndWait('?', help);
	return harness.pressAndWait('?', frame => !frame.includes(help));
}
