// A run event as the journal holds it, checked when `attach` reads it back: its type is one this
// wizard knows and the fields the replay uses are there. A line that does not pass (cut off by a
// full disk, corrupt, from a newer wizard) is not an event; the lines after it still are.
import {z} from 'zod';
import type {RunEvent} from '../../domain/run/run-events.js';

const at = z.number();
const stepId = z.string();
const problem = z.looseObject({kind: z.string(), message: z.string(), hint: z.string()});
const event = <T extends RunEvent['type'], S extends z.ZodRawShape>(type: T, shape: S) =>
	z.looseObject({type: z.literal(type), at, ...shape});

const journalEvents = [
	event('run-start', {logPath: z.string(), steps: z.array(z.looseObject({id: z.string(), title: z.string()}))}),
	event('config-written', {path: z.string(), backupPath: z.string()}),
	event('step-start', {stepId, argv: z.array(z.string()), cwd: z.string()}),
	event('output', {stepId, stream: z.enum(['stdout', 'stderr']), line: z.string()}),
	event('output-skipped', {stepId, count: z.number()}),
	event('progress', {stepId, progress: z.looseObject({unpackedBytes: z.number(), expectedBytes: z.number()})}),
	event('disk', {samples: z.array(z.looseObject({path: z.string(), freeBytes: z.number(), level: z.enum(['ok', 'low', 'critical'])}))}),
	event('silent', {stepId, since: z.number()}),
	event('lingering', {stepId, leaderPid: z.number(), processes: z.array(z.looseObject({pid: z.number(), command: z.string()}))}),
	event('step-end', {stepId, status: z.enum(['done', 'errors', 'failed', 'unverified']), failure: problem.optional()}),
	event('verify-start', {stepId, phase: z.enum(['before', 'after']), registry: z.string(), tags: z.number()}),
	event('verify-progress', {stepId, phase: z.enum(['before', 'after']), done: z.number(), total: z.number()}),
	event('step-verified', {
		stepId,
		verification: z.looseObject({state: z.enum(['verified', 'failed', 'deferred', 'unreadable', 'skipped'])}),
	}),
	event('cleanup', {path: z.string(), freedBytes: z.number()}),
	event('config-restored', {path: z.string(), backupPath: z.string(), replacedCopyPath: z.string()}),
	event('config-restore-refused', {path: z.string(), backupPath: z.string(), error: problem}),
	event('run-error', {error: problem}),
	event('run-end', {ok: z.boolean(), outcome: z.looseObject({ok: z.boolean()})}),
] as const;

/** Every event type has its journal schema: a new type fails to compile here until it does. */
const everyTypeChecked: [Exclude<RunEvent['type'], z.infer<(typeof journalEvents)[number]>['type']>] extends [never] ? true : false = true;
void everyTypeChecked;

export const journalEventSchema = z.discriminatedUnion('type', journalEvents);

/** The event on a journal line, or undefined when the line holds none this wizard can use. */
export function parseJournalEvent(text: string): RunEvent | undefined {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return undefined;
	}

	const parsed = journalEventSchema.safeParse(json);
	// The checked fields are the event's; the rest is carried as the wizard wrote it.
	return parsed.success ? (parsed.data as unknown as RunEvent) : undefined;
}
