// Every screen in the same frame: where you are, the screen's rows (scrolled to fit the
// terminal), the screen's one line that must never scroll away (pinned above the footer: the
// block, the warning, the question), and the keys that work right now, fitted to the width. The
// frame is one row shorter than the terminal because Ink clears the whole screen on every frame
// that fills it.
import {Box} from 'ink';
import type {ReactNode} from 'react';
import type {Screen} from '../../workflow/wizard/wizard-reducer.js';
import {useTheme} from '../hooks/use-theme.js';
import {fitFooter, type Binding} from '../keymaps.js';
import {Row, Styled} from './Styled.js';

const screenNames: Array<[Screen, string]> = [
	['packages', 'Packages'],
	['review', 'Review'],
	['confirm', 'Confirm'],
	['run', 'Run'],
	['result', 'Result'],
];

/** Header, blank line, footer rule and footer. */
export const frameChromeRows = 4;

export function bodyHeight(terminalRows: number): number {
	return Math.max(3, terminalRows - frameChromeRows - 1);
}

/** `height` is the scrolled body's: the caller takes the pinned rows off `bodyHeight` first. */
export function Frame(props: {
	screen: Screen;
	rows: ReactNode[];
	pinned?: ReactNode[];
	scroll: number;
	height: number;
	width: number;
	footer: Binding[];
	help?: Binding[];
}) {
	const {glyphs} = useTheme();
	const body = props.help ? helpRows(props.help) : props.rows;
	const overflow = body.length > props.height;
	const start = overflow ? Math.min(props.scroll, body.length - props.height + 1) : 0;
	const visible = overflow ? body.slice(start, start + props.height - 1) : body;
	const below = body.length - start - visible.length;
	return (
		<Box flexDirection="column" width={props.width}>
			<Row>
				<Styled tone="title">addon-wizard</Styled>
				{screenNames.map(([screen, name]) => (
					<Styled key={screen} tone={screen === props.screen ? 'accent' : 'dim'}>
						{` ${glyphs.separator} ${screen === props.screen ? name.toUpperCase() : name}`}
					</Styled>
				))}
			</Row>
			<Row />
			{visible.map((row, index) => (
				<Box key={index}>{row}</Box>
			))}
			{overflow ? (
				<Row tone="dim">
					{below > 0
						? `${glyphs.more} ${below} more row${below === 1 ? '' : 's'} (up/down to scroll)`
						: `(end; ${start} row${start === 1 ? '' : 's'} above, up to scroll back)`}
				</Row>
			) : null}
			{props.help ? null : (props.pinned ?? []).map((row, index) => <Box key={`pin${index}`}>{row}</Box>)}
			<Row />
			<Row tone="dim">{fitFooter(props.footer, props.width - 1).join(' · ')}</Row>
		</Box>
	);
}

function helpRows(bindings: Binding[]): ReactNode[] {
	return [
		<Row key="title" tone="title">
			Keys on this screen
		</Row>,
		...bindings.map(binding => <Row key={binding.label + binding.action}>{`  ${binding.label.padEnd(12)} ${binding.action}`}</Row>),
		<Row key="blank" />,
		<Row key="close" tone="dim">
			Press ? or esc to close this help.
		</Row>,
	];
}
