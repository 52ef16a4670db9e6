// Run: the steps, how far the installer has got against what the package holds (the unpack and the
// import each their own bar, neither ahead of what was counted), its pace, the disks it is filling,
// a long silence, processes it left running, the registry read back after each step, and its
// latest output. Laid out to the exact height so nothing scrolls off.
import type {ReactNode} from 'react';
import {formatBytes, formatDuration} from '../../domain/shared/format-bytes.js';
import {countsText, importFraction, paceText, unpackFraction, unpackText} from '../../domain/run/run-progress.js';
import {lingerDecision, lingerGraceMs} from '../../domain/run/step-verdict.js';
import {describeVerification} from '../../report/registry/verification-text.js';
import {currentPlan, type RunState, type WizardState} from '../../workflow/wizard/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {bar, cleanLine, percent} from '../text.js';
import {wrapped} from '../components/Rows.js';

export function stepMarks(run: RunState, glyphs: Glyphs): Array<{mark: string; tone: Tone}> {
	return run.status.map(
		status =>
			({
				pending: {mark: glyphs.pending, tone: 'dim' as Tone},
				running: {mark: glyphs.running, tone: 'accent' as Tone},
				done: {mark: glyphs.done, tone: 'ok' as Tone},
				errors: {mark: glyphs.warning, tone: 'warn' as Tone},
				failed: {mark: glyphs.failed, tone: 'error' as Tone},
				unverified: {mark: glyphs.warning, tone: 'warn' as Tone},
			})[status],
	);
}

function progressRows(run: RunState, glyphs: Glyphs, width: number, now: number): ReactNode[] {
	const progress = run.current >= 0 ? run.progress[run.current] : undefined;
	if (!progress) {
		return [
			<Row key="p0" tone="dim">
				Starting the installer…
			</Row>,
			<Row key="p1" />,
		];
	}

	const barWidth = Math.max(10, Math.min(50, width - 14));
	const phase = (key: string, label: string, fraction: number) => (
		<Row key={key}>
			{`${label} `}
			<Styled tone="accent">{bar(fraction, barWidth, glyphs.barFull, glyphs.barEmpty)}</Styled>
			{` ${percent(fraction)}`}
		</Row>
	);
	const pace = paceText(progress, run.rates, now);
	return [
		phase('p0', 'unpack', unpackFraction(progress)),
		phase('p1', 'import', importFraction(progress)),
		...wrapped('p2', `${unpackText(progress)} · ${countsText(progress)}`, width, 'dim'),
		...(pace ? wrapped('p3', pace, width, 'dim') : []),
	];
}

/** The registry being read for the step (before it, or to verify it), else what the last read found. */
function verifyRows(run: RunState, glyphs: Glyphs, width: number): ReactNode[] {
	const {verifying} = run;
	if (verifying) {
		const what =
			verifying.phase === 'before'
				? `Reading the registry ${verifying.registry} before the step`
				: `Verifying against the registry ${verifying.registry}`;
		return wrapped('verify', `${what}${glyphs.ellipsis} ${verifying.done} of ${verifying.total} tags`, width, 'accent');
	}

	const verifications = run.verifications ?? [];
	const index = verifications.reduce((found, item, at) => (item ? at : found), -1);
	const last = verifications[index];
	if (!last) {
		return [];
	}

	const text = describeVerification(last);
	return wrapped('verified', `Step ${index + 1}: ${text.summary}`, width, text.tone === 'ok' ? 'ok' : text.tone);
}

function diskRows(run: RunState, glyphs: Glyphs, width: number): ReactNode[] {
	return run.disk.flatMap(sample => {
		const words = {
			ok: '',
			low: `  ${glyphs.warning} running low`,
			critical: `  ${glyphs.error} almost full: press s to stop the installer before it fails`,
		}[sample.level];
		return wrapped(
			sample.path,
			`disk ${sample.path}: ${formatBytes(sample.freeBytes)} free${words}`,
			width,
			sample.level === 'ok' ? undefined : sample.level === 'low' ? 'warn' : 'error',
		);
	});
}

/** A long silence, said with how long; the installer may be busy with one large image. */
function silenceRows(run: RunState, glyphs: Glyphs, width: number, now: number): ReactNode[] {
	if (run.silentSince === undefined || run.lingering) {
		return [];
	}

	return wrapped(
		'silent',
		`${glyphs.warning} No output from the installer for ${formatDuration(now - run.silentSince)}. It may still be working (a large image, a slow registry); the disk line shows whether it still writes. q stops it.`,
		width,
		'warn',
	);
}

/** The installer exited but its group still runs: the step is not over, and says why. */
function lingeringRows(run: RunState, glyphs: Glyphs, width: number, now: number): ReactNode[] {
	const lingering = run.lingering;
	if (!lingering) {
		return [];
	}

	const names =
		lingering.processes
			.slice(0, 4)
			.map(item => `${item.command} (pid ${item.pid})`)
			.join(', ') + (lingering.processes.length > 4 ? ` and ${lingering.processes.length - 4} more` : '');
	const decision = lingerDecision({
		remaining: lingering.processes.length,
		sinceMs: now - lingering.since,
		graceMs: lingerGraceMs,
		stopRequested: run.stopping,
	});
	const offer =
		decision === 'offer-stop' ? ` They have run ${formatDuration(now - lingering.since)} since; q stops them and ends the step.` : '';
	return wrapped(
		'linger',
		`${glyphs.warning} The installer (pid ${lingering.leaderPid}) exited with status ${lingering.exitCode ?? '?'}, but ${lingering.processes.length === 1 ? 'a process it started still runs' : `${lingering.processes.length} processes it started still run`}: ${names}. Their output is followed; the step ends when they do.${offer}`,
		width,
		'warn',
	);
}

function promptRow(run: RunState, graceSeconds: number, width: number): ReactNode[] {
	if (run.stopping) {
		return wrapped('prompt', `Stopping the installer (SIGINT, then SIGTERM, then SIGKILL after ${graceSeconds}s)…`, width, 'warn');
	}

	if (run.confirmStop) {
		return wrapped('prompt', 'Stop the installer? Its partial unpack stays for cleanup. y stops it, n keeps it running.', width, 'warn');
	}

	return [];
}

/** The last frame after d: the installer was left running, and how to come back to it. */
function detachedRows(state: WizardState, run: RunState, width: number): ReactNode[] {
	const config = currentPlan(state)?.cluster.path;
	return [
		<Row key="g-d" />,
		...wrapped(
			'detached',
			`Left the view. The installer${run.installerPid === undefined ? '' : ` (pid ${run.installerPid})`} keeps running in its own process group; it does not need this terminal.`,
			width,
			'warn',
		),
		...wrapped('back', `Come back to it with: addon-wizard attach${config ? ` -c ${config}` : ''}`, width),
		...(run.current >= 0 && run.current + 1 < run.status.length
			? wrapped(
					'rest',
					`Step ${run.current + 2} of ${run.status.length} will not start on its own: once this step has ended, run again with --from-step ${run.current + 2}.`,
					width,
					'warn',
				)
			: []),
	];
}

export function runRows(
	state: WizardState,
	glyphs: Glyphs,
	size: {width: number; height: number},
	now: number,
	graceSeconds: number,
): ReactNode[] {
	const plan = currentPlan(state);
	const run = state.run;
	if (!plan || !run) {
		return [];
	}

	const marks = stepMarks(run, glyphs);
	const elapsed = run.startedAt ? formatDuration((run.endedAt ?? now) - run.startedAt) : '0:00';
	const top: ReactNode[] = [
		...plan.steps.map((step, index) => (
			<Row key={step.id}>
				<Styled tone={marks[index]!.tone}>{`${marks[index]!.mark} `}</Styled>
				<Styled tone={index === run.current ? 'title' : 'plain'}>{`${index + 1}. ${step.title}`}</Styled>
			</Row>
		)),
		...(run.cleaned
			? wrapped(
					'cleaned',
					`Removed ${run.cleaned.path} (${formatBytes(run.cleaned.freedBytes)} freed) before this retry.`,
					size.width,
					'dim',
				)
			: []),
		<Row key="g0" />,
		...progressRows(run, glyphs, size.width, now),
		<Row key="elapsed">{`elapsed ${elapsed}`}</Row>,
		...verifyRows(run, glyphs, size.width),
		...wrapped('log', `log: ${run.logPath ?? '(opening)'}`, size.width, 'dim'),
		...diskRows(run, glyphs, size.width),
		...silenceRows(run, glyphs, size.width, now),
		...lingeringRows(run, glyphs, size.width, now),
		...(run.detached ? detachedRows(state, run, size.width) : promptRow(run, graceSeconds, size.width)),
		<Row key="g1" />,
	];
	if (run.detached) {
		return top;
	}

	const room = Math.max(1, size.height - top.length - 1);
	const lines = run.output.slice(-room);
	return [
		...top,
		<Row key="out" tone="dim">{`Installer output (last ${lines.length} of ${run.outputSeen} lines):`}</Row>,
		...lines.map((line, index) => (
			<Row key={`o${index}`} tone={line.stream === 'stderr' && /error|fail/i.test(line.line) ? 'error' : undefined}>
				{cleanLine(line.line)}
			</Row>
		)),
	];
}
