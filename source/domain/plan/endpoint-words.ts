// How the Registry section words the endpoint it read: the TLS check and where the login came from.
import type {RegistryEndpoint, TlsSetting} from '../registry/location.js';

export const tlsWords: Record<TlsSetting['mode'], (tls: TlsSetting) => string> = {
	'plain-http': () => 'plain HTTP, nothing encrypted',
	'system-ca': () => 'HTTPS, certificate checked against the system CAs',
	'ca-file': tls => `HTTPS, certificate checked against ${tls.mode === 'ca-file' ? tls.caFile : ''} (--registry-ca)`,
	insecure: () => 'HTTPS, certificate NOT checked (--registry-insecure)',
};

const loginSource: Record<RegistryEndpoint['credential']['source'], string> = {
	config: 'from clusterConfig.yaml',
	environment: 'from ADDON_WIZARD_REGISTRY_USER / _PASSWORD',
	default: 'the default login',
	none: '',
};

export function loginWords(credential: RegistryEndpoint['credential']): string {
	if (!credential.username) {
		return credential.hasPassword ? `a password without a user (${loginSource[credential.source]})` : 'no login (anonymous)';
	}

	return `user ${credential.username} ${loginSource[credential.source]}`.trim();
}
