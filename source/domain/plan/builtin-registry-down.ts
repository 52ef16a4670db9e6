// The builtin registry that refuses connections: it (and ChartMuseum) live in the bootstrap node's
// kind container, `<tinderKind.instanceName>-control-plane`, which does not start by itself after
// the node reboots (reference §10.1, the installer's FAQ). That is the likely cause, and restarting
// the container the fix, so the plan says both instead of "check that it runs".
import type {RegistryLocation} from '../registry/location.js';
import type {WizardError} from '../shared/wizard-error.js';

type Problem = {kind: string; message: string; hint: string};

/** The kind container's name is the kind cluster's (`tinderKind.instanceName`) plus this. */
const containerSuffix = '-control-plane';
/** Found by its suffix when the config does not name the instance (`podman ps` alone lists running ones only). */
const findContainer = '$(podman ps -aq --filter name=installer-control-plane)';

/** A registry client's error: `cause` is the low-level code (`ECONNREFUSED`) when there is one. */
type RegistryError = WizardError & {cause?: unknown};

const refusedByBuiltin = (location: RegistryLocation, error: RegistryError) =>
	location.imagesAndChartsType === 'builtin' &&
	location.registry.source !== 'flag' &&
	error.kind === 'registry-unreachable' &&
	error.cause === 'ECONNREFUSED';

/** The registry's problem, with the kind container named as its likely cause when the builtin registry refused the connection. */
export function explainRegistryProblem(error: RegistryError, location: RegistryLocation | undefined): Problem {
	const problem = {kind: error.kind, message: error.message, hint: error.hint};
	if (!location || !refusedByBuiltin(location, error)) {
		return problem;
	}

	const name = location.kindInstanceName ? `${location.kindInstanceName}${containerSuffix}` : undefined;
	const container = name ?? `*-installer${containerSuffix}`;
	const host = location.registry.url.replace(/^https?:\/\//, '').replace(/:\d+$/, '');
	return {
		...problem,
		message: `${error.message.replace(/\.?$/, '.')} The builtin registry lives in the bootstrap node's kind container ${container}, which does not start by itself after a reboot: the likely cause.`,
		hint: `On the bootstrap node (${host}) run podman restart ${name ?? findContainer}, then plan again.`,
	};
}
