// Registry passwords from clusterConfig.yaml must never reach a log or a screen.
export function maskSecrets(line: string, secrets: readonly string[]): string {
	let masked = line;
	for (const secret of secrets) {
		// Very short values would mask ordinary words; clusterConfig passwords are never that short.
		if (secret.length >= 4 && masked.includes(secret)) {
			masked = masked.split(secret).join('********');
		}
	}

	return masked;
}
