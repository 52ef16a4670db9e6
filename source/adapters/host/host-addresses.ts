// This host's addresses, best first, for the builtin registry's default (the wizard usually runs on
// the bootstrap node, whose registry listens on its address): IPv4 before IPv6, loopback and
// link-local left out, interfaces in the order the system lists them.
import {networkInterfaces} from 'node:os';

type Interfaces = ReturnType<typeof networkInterfaces>;

/** Bridges that container runtimes and kind create: their addresses are not the node's. */
const virtualInterface = /^(?:docker|br-|veth|cni|flannel|cali|virbr|kube-ipvs|tunl|vxlan)/;

export function listHostAddresses(interfaces: Interfaces = networkInterfaces()): string[] {
	const rows = Object.entries(interfaces).flatMap(([name, addresses]) => (addresses ?? []).map(address => ({name, ...address})));
	const usable = rows.filter(row => !row.internal && !row.address.startsWith('fe80:') && !row.address.startsWith('169.254.'));
	const rank = (row: (typeof usable)[number]) => (row.family === 'IPv4' ? 0 : 2) + (virtualInterface.test(row.name) ? 1 : 0);
	return [
		...new Set(
			usable
				.map((row, index) => ({row, index}))
				.sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
				.map(({row}) => row.address),
		),
	];
}
