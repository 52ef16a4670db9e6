// Installer output is data, never terminal control: a line that retitles the pane (OSC 0), wipes
// it (ESC c, CSI 2J), asks the terminal to type a reply (CSI 6n) or writes the clipboard (OSC 52)
// must reach the screen and the log as visible text. Colour (SGR) carries nothing an operator
// needs and would break matching `[info] …` prefixes, so it is dropped.

/** Longest line kept whole; the rest of a longer one is cut and counted (a 50 MB line without a newline took 0.7 GB). */
export const maxLineBytes = 64 * 1024;

const sgr = /\u001B\[[\d;:]*m/g;
// C0 controls except tab, DEL, and the C1 range (which some terminals act on like ESC sequences).
const controls = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;
const hasControl = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

const named: Readonly<Record<string, string>> = {
	'\u001B': String.raw`\e`,
	'\r': String.raw`\r`,
	'\n': String.raw`\n`,
	'\u0007': String.raw`\a`,
	'\b': String.raw`\b`,
};

function visible(char: string): string {
	return named[char] ?? `\\x${char.codePointAt(0)!.toString(16).padStart(2, '0')}`;
}

/** The line as plain text: colours dropped, every other control character shown as an escape. */
export function sanitizeLine(line: string): string {
	if (!hasControl.test(line)) {
		return line;
	}

	return line.replace(sgr, '').replace(controls, visible);
}

/** Shown in place of the part of a line past `maxLineBytes`. */
export function cutNotice(droppedBytes: number): string {
	return ` … [${droppedBytes} more bytes of this line cut; the installer wrote them]`;
}

/** A path or name as text a terminal shows but never obeys: every control character escaped. */
export function showControls(text: string): string {
	return hasControl.test(text) ? text.replace(controls, visible) : text;
}
