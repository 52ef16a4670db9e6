// Registry passwords from clusterConfig.yaml must never reach a log or a screen.

export const maskText = '********';

/** Keys whose value is a credential: `externalImageRepoPassword`, `ansiblePass`, `clientSecret`, `apiToken`, … */
const secretKeyPattern = /(?:password|passwd|pass|pwd|secret|token)$/i;
/** Keys whose value is the user name that goes with a password beside it (Basic auth carries `user:password`). */
const userKeyPattern = /(?:user|username|login)$/i;

export const isSecretKey = (key: string): boolean => secretKeyPattern.test(key);

/** `scheme://user:password@`: the login a URL may carry before its host. */
const urlUserinfo = /\b([a-z][\d+.a-z-]*:\/\/)([^\s/:@]*):([^\s/@]*)@/gi;

/** The user and password of every `scheme://user:password@host` in a text (the password decoded). */
export function urlLogins(text: string): Array<{user: string; password: string}> {
	return [...text.matchAll(urlUserinfo)].flatMap(match => {
		const password = safeDecode(match[3]!);
		return password ? [{user: safeDecode(match[2]!), password}] : [];
	});
}

/** A text with every URL's password replaced by the mask, its user kept: `http://admin:********@host`. */
export function maskUrlLogins(text: string): string {
	return text.replaceAll(urlUserinfo, (_whole, scheme: string, user: string) => `${scheme}${user}:${maskText}@`);
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
export const isUserKey = (key: string): boolean => userKeyPattern.test(key);

/** RFC 3986 percent-encoding, as Python's quote(safe='') and Go's url.PathEscape write it: `!'()*` too. */
const strictEncode = (text: string) =>
	encodeURIComponent(text).replaceAll(/[!'()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** The forms a password takes in output: as written, in a URL or a form body, and inside JSON. */
function spellings(secret: string): string[] {
	const encoded = [encodeURIComponent(secret), strictEncode(secret)];
	return [
		...new Set([
			secret,
			JSON.stringify(secret).slice(1, -1),
			...encoded,
			// application/x-www-form-urlencoded writes a space as `+`.
			...encoded.map(form => form.replaceAll('%20', '+')),
		]),
	];
}

/** Below this length a password is masked only where it stands alone, not inside longer words. */
const minSubstringLength = 4;

/**
 * Up to this many probes, one `includes` each is cheaper than one regular expression (whose cost,
 * about 1 ns a character, does not grow with their number). Measured on 150-character installer
 * lines: a rare-first probe costs 15-20 ns, so 8 of them match the expression.
 */
const maxIncludesProbes = 8;

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);

/**
 * Whether a line may hold one of `forms`, checked with as few and as cheap searches as possible:
 * only the forms that contain no shorter one (a padded base64 holds its unpadded form; `admin:`
 * base64'd is a whole number of base64 groups, so base64("admin:" + password) holds
 * base64(password)), each by its tail from its rarest character on. A line none of them is in
 * is returned untouched, which is almost every line.
 */
/**
 * Characters from most to least common in installer output (klog lines, paths, image references,
 * sha256 digests); anything not listed is rarer still (upper case, most symbols).
 */
const commonFirst = ' e0123456789abcdf.t/:-oinsrlh_ucmpgv,=kywx"[]()jzq';
const commonness = (char: string) => {
	const rank = commonFirst.indexOf(char);
	return rank === -1 ? 0 : commonFirst.length - rank;
};

/** A probe never shorter than this, so that a rare character alone does not send every line down the slow path. */
const minProbeLength = 4;

/**
 * The tail of `form` that starts at its rarest character (the rare-byte heuristic of ripgrep's
 * memchr): V8's string search scans for a pattern's first character, so a pattern that starts
 * with `Z` or `@` is found, or ruled out, several times faster than one that starts with `e`.
 */
function probeOf(form: string): string {
	let best = 0;
	for (let index = 1; index <= form.length - minProbeLength; index++) {
		if (commonness(form[index]!) < commonness(form[best]!)) {
			best = index;
		}
	}

	return form.slice(best);
}

function mayHoldAny(forms: readonly string[]): (line: string) => boolean {
	const minimal = forms.filter(form => !forms.some(other => other.length < form.length && form.includes(other)));
	const probes = [...new Set(minimal.map(form => probeOf(form)))];
	if (probes.length <= maxIncludesProbes) {
		return line => probes.some(probe => line.includes(probe));
	}

	const pattern = new RegExp(probes.map(probe => escapeRegExp(probe)).join('|'));
	return line => pattern.test(line);
}

/** Every form masked whole, the longest first: a password that contains a shorter one is never left half visible. */
function maskAll(forms: readonly string[]): (line: string) => string {
	const pattern = new RegExp(forms.map(form => escapeRegExp(form)).join('|'), 'g');
	return line => line.replace(pattern, maskText);
}

/** A function that masks every password in a line; built once per run, applied to every line. */
export function secretMasker(secrets: readonly string[]): (line: string) => string {
	const present = secrets.filter(secret => secret.length > 0);
	const forms = [...new Set(present.filter(secret => secret.length >= minSubstringLength).flatMap(secret => spellings(secret)))].sort(
		(a, b) => b.length - a.length,
	);
	const mayHold = forms.length > 0 ? mayHoldAny(forms) : undefined;
	const mask = forms.length > 0 ? maskAll(forms) : undefined;
	// A short password ("abc") masked everywhere would blank ordinary words; masked where it is a
	// token of its own (`password: abc`, `admin:abc@host`, `"abc"`) it still never shows as a value.
	const shortForms = [...new Set(present.filter(secret => secret.length < minSubstringLength).flatMap(secret => spellings(secret)))];
	const shortPattern =
		shortForms.length > 0
			? new RegExp(
					`(?<![\\p{L}\\p{N}_])(?:${shortForms
						.sort((a, b) => b.length - a.length)
						.map(form => escapeRegExp(form))
						.join('|')})(?![\\p{L}\\p{N}_])`,
					'gu',
				)
			: undefined;
	if (!mask && !shortPattern) {
		return line => line;
	}

	return line => {
		const masked = mask && mayHold!(line) ? mask(line) : line;
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
const blockSecretLine = new RegExp(
	String.raw`^([ +-]?[ \t]*(?:#[ \t]*)?(?:-[ \t]+)?${secretKey})(${quoted}|[^\s#][^\r\n]*?)((?:[ \t]+#.*)?[ \t]*\r?)$`,
	'i',
);
/** The same inside a flow mapping (`{ansiblePass: x, ip: …}`), where `,` and `}` end the value. */
const flowSecretPair = new RegExp(String.raw`([{,][ \t]*${secretKey})(${quoted}|[^\s,}][^,}\r\n]*?)(?=[ \t]*[,}])`, 'gi');

/**
 * Masks config text for display (the Review diff, `plan`): every value under a password-like key,
 * even one clusterConfig.yaml no longer holds (a commented-out line), then every known password
 * wherever else it appears (a URL with `user:password@`). Never applied to the text that is written.
 */
export function maskSecretLines(text: string, mask: (line: string) => string): string {
	return text
		.split('\n')
		.map(line => mask(line.replace(blockSecretLine, `$1${maskText}$3`).replace(flowSecretPair, `$1${maskText}`)))
		.join('\n');
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
