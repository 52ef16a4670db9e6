// The bundler replaces ADDON_WIZARD_VERSION; running from source reads package.json instead.
import {createRequire} from 'node:module';

declare const ADDON_WIZARD_VERSION: string | undefined;

function readVersion(): string {
	if (typeof ADDON_WIZARD_VERSION === 'string') {
		return ADDON_WIZARD_VERSION;
	}

	const require = createRequire(import.meta.url);
	return (require('../../package.json') as {version: string}).version;
}

export const version = readVersion();
