// When a package brings a new tag of an image, the registry has no answer for that tag, but the
// repository's other tags say which arches the cluster runs the image on: an upgrade's images are
// mostly new tags, and without this a multi-arch cluster would look single-arch exactly then.
import {compareSemver, parseSemver} from '../shared/semver.js';

/** kubean's merge leaves per-arch tags (`v1.2-arm64`) beside the list it pushes (§4.2). */
const perArchSuffix = /-(?:amd64|arm64|arm|ppc64le|s390x|386|riscv64|mips64le|loong64)$/;

/**
 * The tag that stands for the repository: the highest version among the tags other than
 * `exclude` and kubean's per-arch leftovers; the last by name when none is a version.
 */
export function pickNeighbourTag(tags: string[], exclude: string[]): string | undefined {
	const candidates = tags.filter(tag => !exclude.includes(tag) && !perArchSuffix.test(tag));
	let best: {tag: string; version: ReturnType<typeof parseSemver>} | undefined;
	for (const tag of candidates) {
		const version = parseSemver(tag);
		if (
			!best ||
			(version && (!best.version || compareSemver(version, best.version) > 0)) ||
			(!version && !best.version && tag > best.tag)
		) {
			best = {tag, version};
		}
	}

	return best?.tag;
}
