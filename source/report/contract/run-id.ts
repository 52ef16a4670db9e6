// A run's id in the contract: the name of its log file without `.log`. Every document that names
// a run (RunResult, Status, and later History and undo's `--run ID`) derives it here, so one run
// has one id wherever a script meets it.
export const runIdOf = (logPath: string): string => logPath.slice(logPath.lastIndexOf('/') + 1).replace(/\.log$/, '');
