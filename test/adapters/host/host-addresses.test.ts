import {describe, expect, it} from 'vitest';
import {listHostAddresses} from '../../../source/adapters/host/host-addresses.js';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
	({address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? {scopeid: 0} : {})}) as never;

describe("this host's addresses", () => {
	it("puts the node's IPv4 first, container bridges after it, IPv6 last, and leaves out loopback and link-local", () => {
		const addresses = listHostAddresses({
			lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
			docker0: [entry('172.17.0.1', 'IPv4')],
			eth0: [entry('10.6.135.222', 'IPv4'), entry('fe80::1', 'IPv6'), entry('2001:db8::5', 'IPv6')],
			eth1: [entry('169.254.0.9', 'IPv4'), entry('192.168.1.5', 'IPv4')],
		});
		expect(addresses).toEqual(['10.6.135.222', '192.168.1.5', '172.17.0.1', '2001:db8::5']);
	});
});
