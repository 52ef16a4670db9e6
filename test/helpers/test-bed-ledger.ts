// Every process and temp folder a test-bed helper starts is written down here, and crossed out when
// the helper stops it. The global teardown (test-bed-guard.ts) reads the ledger after the whole run:
// a line never crossed out whose process still runs, or whose folder is still there, is a leak, and
// the run fails naming the test file that started it. Outside vitest (bench, screens) nothing is kept.
import {appendFileSync, existsSync, readFileSync} from 'node:fs';
import path from 'node:path';

export const ledgerEnv = 'ADDON_WIZARD_TEST_BED_LEDGER';

export type LedgerStart = {
	event: 'start';
	id: string;
	/** `docker-registry`, `chartmuseum-standin`, `harbor-standin`. */
	kind: string;
	pid: number;
	/** The process's start time (field 22 of /proc/PID/stat), so a reused pid is not taken for it. */
	startTime?: string;
	/** The temp folder the helper made for it. */
	root?: string;
	/** The test file whose code started it, from the call stack. */
	startedBy?: string;
};

type LedgerLine = LedgerStart | {event: 'stop'; id: string};

export type Leak = LedgerStart & {running: boolean; rootLeft: boolean};

let counter = 0;

/** Field 22 of /proc/PID/stat, or undefined once the process is gone. */
export function processStartTime(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces and parentheses; count from the last `)`.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	} catch {
		return undefined;
	}
}

/** True while the process runs (a zombie has exited and counts as gone). */
export function isSameProcessRunning(pid: number, startTime: string | undefined): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return fields[0] !== 'Z' && (startTime === undefined || fields[19] === startTime);
	} catch {
		return false;
	}
}

function callerTestFile(): string | undefined {
	const stack = new Error('where').stack ?? '';
	const match = /(\/[^\s():]+\.test\.tsx?)/.exec(stack) ?? /(\/[^\s():]+\/scripts\/[^\s():]+\.ts)/.exec(stack);
	return match?.[1];
}

function append(line: LedgerLine): void {
	const file = process.env[ledgerEnv];
	if (file) {
		appendFileSync(file, `${JSON.stringify(line)}\n`);
	}
}

/** Notes a process (and its folder) a helper started; returns the id `recordStop` takes. */
export function recordStart(kind: string, pid: number, root?: string): string {
	counter += 1;
	const id = `${process.pid}-${counter}-${kind}`;
	append({event: 'start', id, kind, pid, startTime: processStartTime(pid), root, startedBy: callerTestFile()});
	return id;
}

export function recordStop(id: string): void {
	append({event: 'stop', id});
}

/** Starts never crossed out whose process still runs or whose folder is still on disk. */
export function findLeaks(ledgerFile: string): Leak[] {
	if (!existsSync(ledgerFile)) {
		return [];
	}

	const open = new Map<string, LedgerStart>();
	for (const text of readFileSync(ledgerFile, 'utf8').split('\n').filter(Boolean)) {
		const line = JSON.parse(text) as LedgerLine;
		if (line.event === 'start') {
			open.set(line.id, line);
		} else {
			open.delete(line.id);
		}
	}

	const leaks: Leak[] = [];
	for (const start of open.values()) {
		const running = isSameProcessRunning(start.pid, start.startTime);
		const rootLeft = start.root !== undefined && existsSync(start.root);
		if (running || rootLeft) {
			leaks.push({...start, running, rootLeft});
		}
	}

	return leaks;
}

export function describeLeak(leak: Leak): string {
	const what = [leak.running ? `pid ${leak.pid} still running` : '', leak.rootLeft ? `folder ${leak.root} left behind` : '']
		.filter(Boolean)
		.join(', ');
	const by = leak.startedBy ? path.relative(process.cwd(), leak.startedBy) : 'an unknown caller';
	return `${leak.kind} started by ${by}: ${what} (call its stop() in afterAll/afterEach)`;
}
