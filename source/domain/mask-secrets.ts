// Registry passwords from clusterConfig.yaml must never reach a log or a screen.

export const maskText = '********';

/** Keys whose value is a credential: `externalImageRepoPassword`, `ansiblePass`, `clientSecret`, `apiToken`, … */
const secretKeyPattern = /(?:password|passwd|pass|pwd|secret|token)$/i;
/** Keys whose value is the user name that goes with a password beside it (Basic auth carries `user:password`). */
const userKeyPattern = /(?:user|username|login)$/i;

export const isSecretKey = (key: string): boolean => secretKeyPattern.test(key);
export const isUserKey = (key: string): boolean => userKeyPattern.test(key);

/** RFC 3986 percent-encoding, as Python's quote(safe='') and Go's url.PathEscape write it: `!'()*` too. */
const strictEncode = (text: string) => encodeURIComponent(text).replaceAll(/[!'()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** The forms a password takes in output: as written, in a URL or a form body, and inside JSON. */
function spellings(secret: string): string[] {
	const encoded = [encodeURIComponent(secret), strictEncode(secret)];
	return [...new Set([
		secret,
		JSON.stringify(secret).slice(1, -1),
		...encoded,
		// application/x-www-form-urlencoded writes a space as `+`.
		...encoded.map(form => form.replaceAll('%20', '+')),
	])];
}

/** Below this length a password is masked only where it stands alone, not inside longer words. */
const minSubstringLength = 4;

/**
 * Up to this many forms, one `includes` per form is cheaper than one regular expression; past it
 * the expression wins, and its cost per line no longer grows with the number of forms (measured
 * on 170-character klog lines: 3 forms ~100 ns either way, 24 forms 600 ns by includes, 170 ns
 * by one expression).
 */
const maxIncludesForms = 4;

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);

function longFormsMasker(forms: string[]): ((line: string) => string) | undefined {
	if (forms.length === 0) {
		return undefined;
	}

	if (forms.length <= maxIncludesForms) {
		return line => {
			let masked = line;
			for (const form of forms) {
				if (masked.includes(form)) {
					masked = masked.split(form).join(maskText);
				}
			}

			return masked;
		};
	}

	// Alternatives are tried in order, so longest first: a password that contains a shorter one is masked whole.
	const pattern = new RegExp(forms.map(form => escapeRegExp(form)).join('|'), 'g');
	return line => line.replace(pattern, maskText);
}

/** A function that masks every password in a line; built once per run, applied to every line. */
export function secretMasker(secrets: readonly string[]): (line: string) => string {
	const present = secrets.filter(secret => secret.length > 0);
	// Longest first: a password that contains a shorter one must not be left half visible.
	const forms = [...new Set(present
		.filter(secret => secret.length >= minSubstringLength)
		.flatMap(secret => spellings(secret)))]
		.sort((a, b) => b.length - a.length);
	const long = longFormsMasker(forms);
	// A short password ("abc") masked everywhere would blank ordinary words; masked where it is a
	// token of its own (`password: abc`, `admin:abc@host`, `"abc"`) it still never shows as a value.
	const shortForms = [...new Set(present.filter(secret => secret.length < minSubstringLength).flatMap(secret => spellings(secret)))];
	const shortPattern = shortForms.length > 0
		? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${shortForms.sort((a, b) => b.length - a.length).map(form => escapeRegExp(form)).join('|')})(?![\\p{L}\\p{N}_])`, 'gu')
		: undefined;
	if (!long && !shortPattern) {
		return line => line;
	}

	return line => {
		const masked = long ? long(line) : line;
		return shortPattern ? masked.replace(shortPattern, maskText) : masked;
	};
}

const secretKey = String.raw`["']?[\w.-]*?(?:password|passwd|pass|pwd|secret|token)["']?[ \t]*:[ \t]+`;
const quoted = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'`;

/**
 * `key: value` where the key names a credential, in YAML text as the operator sees it: in a diff
 * (a leading ` `, `-` or `+`), commented out (`# externalImageRepoPassword: Harbor12345`, as the
 * installer's template ships it) or as a list entry. The value runs to a ` #` comment or the end
 * of the line; `#` inside a word belongs to it, as YAML reads it.
 */
const blockSecretLine = new RegExp(String.raw`^([ +-]?[ \t]*(?:#[ \t]*)?(?:-[ \t]+)?${secretKey})(${quoted}|[^\s#][^\r\n]*?)((?:[ \t]+#.*)?[ \t]*\r?)$`, 'i');
/** The same inside a flow mapping (`{ansiblePass: x, ip: …}`), where `,` and `}` end the value. */
const flowSecretPair = new RegExp(String.raw`([{,][ \t]*${secretKey})(${quoted}|[^\s,}][^,}\r\n]*?)(?=[ \t]*[,}])`, 'gi');

/**
 * Masks config text for display (the Review diff, `plan`): every value under a password-like key,
 * even one clusterConfig.yaml no longer holds (a commented-out line), then every known password
 * wherever else it appears (a URL with `user:password@`). Never applied to the text that is written.
 */
export function maskSecretLines(text: string, mask: (line: string) => string): string {
	return text.split('\n').map(line => mask(line
		.replace(blockSecretLine, `$1${maskText}$3`)
		.replace(flowSecretPair, `$1${maskText}`))).join('\n');
}

/**
 * Every string inside `value` masked (arrays, plain objects, nested), for `plan --json` and run
 * records. The input is not changed; a value that refers to itself keeps doing so in the copy.
 */
export function maskSecretsDeep<T>(value: T, mask: (text: string) => string): T {
	const copies = new Map<object, unknown>();
	const visit = (item: unknown): unknown => {
		if (typeof item === 'string') {
			return mask(item);
		}

		if (typeof item !== 'object' || item === null) {
			return item;
		}

		const seen = copies.get(item);
		if (seen !== undefined) {
			return seen;
		}

		if (Array.isArray(item)) {
			const copy: unknown[] = [];
			copies.set(item, copy);
			copy.push(...item.map(entry => visit(entry)));
			return copy;
		}

		const copy: Record<string, unknown> = {};
		copies.set(item, copy);
		for (const [key, entry] of Object.entries(item)) {
			copy[key] = visit(entry);
		}

		return copy;
	};

	return visit(value) as T;
}
