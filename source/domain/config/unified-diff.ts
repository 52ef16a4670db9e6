// A small unified diff for showing the clusterConfig.yaml change before it is made.
// Config files are a few hundred lines, so a plain LCS table is fast enough.

type Edit = {kind: ' ' | '-' | '+'; line: string};

function diffLines(before: string[], after: string[]): Edit[] {
	const rows = before.length;
	const cols = after.length;
	const table = Array.from({length: rows + 1}, () => new Uint32Array(cols + 1));
	for (let i = rows - 1; i >= 0; i--) {
		for (let j = cols - 1; j >= 0; j--) {
			table[i]![j] = before[i] === after[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
		}
	}

	const edits: Edit[] = [];
	let i = 0;
	let j = 0;
	while (i < rows || j < cols) {
		if (i < rows && j < cols && before[i] === after[j]) {
			edits.push({kind: ' ', line: before[i++]!});
			j++;
		} else if (i < rows && (j === cols || table[i + 1]![j]! >= table[i]![j + 1]!)) {
			edits.push({kind: '-', line: before[i++]!});
		} else {
			edits.push({kind: '+', line: after[j++]!});
		}
	}

	return edits;
}

function splitLines(text: string): string[] {
	const lines = text.split('\n');
	if (lines.at(-1) === '') {
		lines.pop();
	}

	return lines;
}

export function unifiedDiff(before: string, after: string, fileName: string, context = 3): string {
	const edits = diffLines(splitLines(before), splitLines(after));
	const changed = edits.map((edit, index) => (edit.kind === ' ' ? -1 : index)).filter(index => index >= 0);
	if (changed.length === 0) {
		return '';
	}

	const hunks: Array<[number, number]> = [];
	for (const index of changed) {
		const start = Math.max(0, index - context);
		const end = Math.min(edits.length, index + context + 1);
		const last = hunks.at(-1);
		if (last && start <= last[1]) {
			last[1] = end;
		} else {
			hunks.push([start, end]);
		}
	}

	const output = [`--- a/${fileName}`, `+++ b/${fileName}`];
	for (const [start, end] of hunks) {
		const before = edits.slice(0, start);
		const oldStart = before.filter(edit => edit.kind !== '+').length + 1;
		const newStart = before.filter(edit => edit.kind !== '-').length + 1;
		const body = edits.slice(start, end);
		const oldCount = body.filter(edit => edit.kind !== '+').length;
		const newCount = body.filter(edit => edit.kind !== '-').length;
		output.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body.map(edit => `${edit.kind}${edit.line}`));
	}

	return `${output.join('\n')}\n`;
}
