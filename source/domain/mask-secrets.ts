// Registry passwords from clusterConfig.yaml must never reach a log or a screen.

/** The forms a password takes in output: as written, inside a URL (user:pass@host) and inside JSON. */
function spellings(secret: string): string[] {
	return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** A function that masks every password in a line; built once per run, applied to every line. */
export function secretMasker(secrets: readonly string[]): (line: string) => string {
	// Longest first: a password that contains a shorter one must not be left half visible.
	const forms = [...new Set(secrets
		// Very short values would mask ordinary words; clusterConfig passwords are never that short.
		.filter(secret => secret.length >= 4)
		.flatMap(secret => spellings(secret)))]
		.sort((a, b) => b.length - a.length);
	if (forms.length === 0) {
		return line => line;
	}

	return line => {
		let masked = line;
		for (const form of forms) {
			if (masked.includes(form)) {
				masked = masked.split(form).join('********');
			}
		}

		return masked;
	};
}
