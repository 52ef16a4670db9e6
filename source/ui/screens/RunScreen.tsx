// Run: the steps, how far the installer has got against what the package holds, the disks it is
// filling, and its latest output. Laid out to the exact height so nothing scrolls off.
import type {ReactNode} from 'react';
import {formatBytes, formatDuration} from '../../domain/format-bytes.js';
import {progressFraction} from '../../domain/run-progress.js';
import {currentPlan, type RunState, type WizardState} from '../../workflow/wizard-reducer.js';
import {Row, Styled, type Tone} from '../components/Styled.js';
import type {Glyphs} from '../glyphs.js';
import {bar, cleanLine, percent} from '../text.js';
import {wrapped} from '../components/Rows.js';

export function stepMarks(run: RunState, glyphs: Glyphs): Array<{mark: string; tone: Tone}> {
	return run.status.map(status => ({
		pending: {mark: glyphs.pending, tone: 'dim' as Tone},
		running: {mark: glyphs.running, tone: 'accent' as Tone},
		done: {mark: glyphs.done, tone: 'ok' as Tone},
		failed: {mark: glyphs.failed, tone: 'error' as Tone},
	})[status]);
}

function progressRows(run: RunState, glyphs: Glyphs, width: number): ReactNode[] {
	const progress = run.current >= 0 ? run.progress[run.current] : undefined;
	if (!progress) {
		return [<Row key="p0" tone="dim">Starting the installer…</Row>, <Row key="p1" />];
	}

	const fraction = progressFraction(progress);
	return [
		<Row key="p0">
			<Styled tone="accent">{bar(fraction, Math.max(10, Math.min(50, width - 10)), glyphs.barFull, glyphs.barEmpty)}</Styled>
			{` ${percent(fraction)}`}
		</Row>,
		<Row key="p1" tone="dim">{`${formatBytes(progress.unpackedBytes)} of ${formatBytes(progress.expectedBytes)} unpacked · charts ${progress.chartsSeen}/${progress.expectedCharts} · images ${progress.imagesSeen}/${progress.expectedImages}`}</Row>,
	];
}

function diskRows(run: RunState, glyphs: Glyphs, width: number): ReactNode[] {
	return run.disk.flatMap(sample => {
		const words = {ok: '', low: `  ${glyphs.warning} running low`, critical: `  ${glyphs.error} almost full: press s to stop the installer before it fails`}[sample.level];
		return wrapped(sample.path, `disk ${sample.path}: ${formatBytes(sample.freeBytes)} free${words}`, width, sample.level === 'ok' ? undefined : sample.level === 'low' ? 'warn' : 'error');
	});
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

export function runRows(state: WizardState, glyphs: Glyphs, size: {width: number; height: number}, now: number, graceSeconds: number): ReactNode[] {
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
		...(run.cleaned ? wrapped('cleaned', `Removed ${run.cleaned.path} (${formatBytes(run.cleaned.freedBytes)} freed) before this retry.`, size.width, 'dim') : []),
		<Row key="g0" />,
		...progressRows(run, glyphs, size.width),
		<Row key="elapsed">{`elapsed ${elapsed}`}</Row>,
		...wrapped('log', `log: ${run.logPath ?? '(opening)'}`, size.width, 'dim'),
		...diskRows(run, glyphs, size.width),
		...promptRow(run, graceSeconds, size.width),
		<Row key="g1" />,
	];
	const room = Math.max(1, size.height - top.length - 1);
	const lines = run.output.slice(-room);
	return [
		...top,
		<Row key="out" tone="dim">{`Installer output (last ${lines.length} of ${run.outputSeen} lines):`}</Row>,
		...lines.map((line, index) => <Row key={`o${index}`} tone={line.stream === 'stderr' && /error|fail/i.test(line.line) ? 'error' : undefined}>{cleanLine(line.line)}</Row>),
	];
}
