// clusterConfig.yaml as a plain value, for the settings read beside addonPackage.path (where the
// registry and chart repository are, tinderKind's ports, their logins). The file was already read
// and checked by cluster-config.ts; this only parses it again, within the same limits, and gives
// undefined for anything it cannot take, so a registry the config cannot name is said to be unknown.
import {open} from 'node:fs/promises';
import {parseDocument} from 'yaml';
import {aliasOverBudget, expandedNodeBudget} from '../domain/yaml-alias-budget.js';

const maxBytes = 4 * 1024 * 1024;

export async function readConfigDocument(file: string): Promise<unknown> {
	const handle = await open(file, 'r').catch(() => undefined);
	if (!handle) {
		return undefined;
	}

	try {
		const buffer = Buffer.alloc(maxBytes + 1);
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
		if (bytesRead > maxBytes) {
			return undefined;
		}

		const document = parseDocument(buffer.subarray(0, bytesRead).toString('utf8'));
		if (document.errors.length > 0 || aliasOverBudget(document)) {
			return undefined;
		}

		return document.toJS({maxAliasCount: expandedNodeBudget}) as unknown;
	} catch {
		return undefined;
	} finally {
		await handle.close();
	}
}
