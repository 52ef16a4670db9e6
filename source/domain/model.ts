// The shared vocabulary of addon-wizard: what the engine learns about packages and the cluster,
// the plan it builds, and the events a run emits. Pure data, no behaviour; one file per part.
export type * from './model-findings.js';
export type * from './model-packages.js';
export type * from './model-plan.js';
export type * from './model-run.js';
export {exitCodes, targetDirName} from './model-run.js';
