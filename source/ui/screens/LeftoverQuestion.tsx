// The Result's question before `r` removes a leftover. When the directory holds files the packages
// do not explain, the question names them and says, before any answer, that y will not remove
// them: only `delete` typed under their names does, and esc keeps everything.
import type {ReactNode} from 'react';
import {formatBytes} from '../../domain/shared/format-bytes.js';
import type {Leftover} from '../../workflow/wizard/state.js';
import {confirmUnexplainedWord} from '../../workflow/wizard/retry-slice.js';
import {Row} from '../components/Styled.js';
import {wrapped} from '../components/Rows.js';
import {showControls} from '../../domain/shared/sanitize-output.js';

/** Paths named one per line; more than this and the rest are counted. */
const namedLines = 8;

export function leftoverQuestionRows(retry: {leftover: Leftover; typed?: string; notConfirmed?: boolean}, width: number): ReactNode[] {
	const {leftover} = retry;
	const size = formatBytes(leftover.bytes);
	const found = leftover.unexplained;
	if (!found) {
		return wrapped('r', `Remove ${leftover.path} (${size}) and re-run the step? y removes it, n keeps it.`, width, 'warn');
	}

	const files = found.count === 1 ? '1 file' : `${found.count} files`;
	const why = found.why ? ` (${found.why})` : '';
	const shown = found.paths.slice(0, namedLines);
	const more = found.count - shown.length;
	const them = found.count === 1 ? 'it' : 'them';
	return [
		...wrapped('r', `${leftover.path} (${size}) holds ${files} the package does not explain${why}:`, width, 'warn'),
		...shown.map(item => (
			<Row key={`ru${item}`} tone="warn">
				{`  ${showControls(item)}`}
			</Row>
		)),
		...(more > 0 ? [<Row key="rmore">{`  and ${more} more`}</Row>] : []),
		...wrapped(
			'rq',
			`y alone will not remove ${them}. Type ${confirmUnexplainedWord} and press enter to remove the directory with ${them} and re-run the step; esc keeps everything (move what you need out of it, then press r).`,
			width,
		),
		...(retry.notConfirmed ? wrapped('rn', `Nothing was removed: type ${confirmUnexplainedWord}, then enter.`, width, 'error') : []),
		<Row key="rt" tone="accent">{`  > ${showControls(retry.typed ?? '')}_`}</Row>,
	];
}
