// Pre-flight facts of a host where every check passes (the working directory writable, the
// installer found and executable, the plan run from step 1); a test overrides what it is about.
import type {PreflightFacts} from '../../source/domain/plan/plan.js';

export function passingFacts(extra: Partial<PreflightFacts> = {}): PreflightFacts {
	return {
		workdir: {path: '/root/work', exists: true, isDirectory: true, writable: true},
		installer: {path: '/root/dce5-installer', found: true, executable: true},
		fromStep: 1,
		packages: [],
		...extra,
	};
}
