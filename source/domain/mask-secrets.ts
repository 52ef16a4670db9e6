// Registry passwords from clusterConfig.yaml must never reach a log or a screen.

/** The forms a password takes in output: as written, inside a URL (user:pass@host) and inside JSON. */
function spellings(secret: string): string[] {
	return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** Below this length a password is masked only where it stands alone, not inside longer words. */
const minSubstringLength = 4;

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);

/** A function that masks every password in a line; built once per run, applied to every line. */
export function secretMasker(secrets: readonly string[]): (line: string) => string {
	const present = secrets.filter(secret => secret.length > 0);
	// Longest first: a password that contains a shorter one must not be left half visible.
	const forms = [...new Set(present
		.filter(secret => secret.length >= minSubstringLength)
		.flatMap(secret => spellings(secret)))]
		.sort((a, b) => b.length - a.length);
	// A short password ("abc") masked everywhere would blank ordinary words; masked where it is a
	// token of its own (`password: abc`, `admin:abc@host`, `"abc"`) it still never shows as a value.
	const shortForms = [...new Set(present.filter(secret => secret.length < minSubstringLength).flatMap(secret => spellings(secret)))];
	const shortPattern = shortForms.length > 0
		? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${shortForms.sort((a, b) => b.length - a.length).map(form => escapeRegExp(form)).join('|')})(?![\\p{L}\\p{N}_])`, 'gu')
		: undefined;
	if (forms.length === 0 && !shortPattern) {
		return line => line;
	}

	return line => {
		let masked = line;
		for (const form of forms) {
			if (masked.includes(form)) {
				masked = masked.split(form).join('********');
			}
		}

		return shortPattern ? masked.replace(shortPattern, '********') : masked;
	};
}
