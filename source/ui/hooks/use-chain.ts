// The Result's `i`: asks the ports what the chain reducer (retry-slice.ts) needs next, one phase
// at a time: search the host for the package, read it, plan it (pre-flight included). Deciding
// what each answer means is the reducer's.
import {useEffect, useRef, type Dispatch} from 'react';
import {exitCodes} from '../../domain/shared/wizard-error.js';
import type {WizardPorts} from '../../workflow/ports/ports.js';
import type {WizardEvent, WizardState} from '../../workflow/wizard/wizard-reducer.js';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function failed(dispatch: Dispatch<WizardEvent>, what: string) {
	return (error: unknown) => {
		dispatch({
			type: 'chain-failed',
			error: {
				kind: 'chain-failed',
				message: `Could not ${what}: ${message(error)}`,
				hint: 'Fix the cause, then press i again.',
				exitCode: exitCodes.failure,
			},
		});
	};
}

export function useChain(state: WizardState, ports: WizardPorts, dispatch: Dispatch<WizardEvent>): void {
	const {chain} = state;
	const latest = useRef(chain);
	latest.current = chain;
	const unread = chain.state === 'reading' ? chain.paths.find(file => !chain.read.some(item => item.path === file)) : undefined;
	// One request per phase (and per file being read): the key changes when the reducer moves on.
	const phase = chain.state === 'reading' ? `reading ${unread ?? ''}` : chain.state;
	useEffect(() => {
		const current = latest.current;
		if (current.state === 'looking') {
			ports.discoverPackages().then(
				packages => {
					dispatch({type: 'chain-discovered', packages});
				},
				failed(dispatch, 'search this host for the package'),
			);
		} else if (current.state === 'reading' && unread) {
			ports.inspectPackage(unread).then(
				inspection => {
					dispatch({type: 'chain-inspected', inspection});
				},
				failed(dispatch, `read ${unread}`),
			);
		} else if (current.state === 'planning') {
			ports.buildPlan(current.inspections).then(
				result => {
					dispatch({type: 'chain-planned', result});
				},
				failed(dispatch, 'plan the integration'),
			);
		}
	}, [phase, unread, ports, dispatch]);
}
