// Where a CPU profile's time went up to a moment: `node scripts/cpuprofile-cut.mjs FILE.cpuprofile
// [FUNCTION=onRender]` sums the samples before the first one whose stack holds FUNCTION (Ink's
// onRender: the wizard's first frame), by script and by function (self time), and for a few parts
// of the wizard's start (inclusive). Profiles come from `node --cpu-prof --cpu-prof-interval 200
// dist/addon-wizard.mjs …` run in tmux and ended with Ctrl-C (docs/benchmarks.md, first frame).
import {readFileSync} from 'node:fs';

const [file, cut = 'onRender'] = process.argv.slice(2);
if (!file) {
	process.stderr.write('usage: node scripts/cpuprofile-cut.mjs FILE.cpuprofile [FUNCTION]\n');
	process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map(node => [node.id, node]));
const parents = new Map(profile.nodes.flatMap(node => (node.children ?? []).map(child => [child, node.id])));
const stackOf = id => {
	const stack = [];
	for (let at = id; at !== undefined; at = parents.get(at)) {
		stack.push(nodes.get(at).callFrame);
	}

	return stack;
};

const script = frame => (frame.url ? frame.url.replace(/.*\//, '') : frame.functionName);
const isTopLevel = (frame, name) => frame.url.includes(name) && frame.lineNumber === 0 && frame.columnNumber === 0;
/** Parts of the wizard's start, inclusive: a sample counts for each part its stack is in. */
const parts = {
	'compiling ES modules': stack => stack[0].functionName === 'compileSourceTextModule',
	'garbage collector': stack => stack[0].functionName === '(garbage collector)',
	"screens chunk's top level": stack => stack.some(frame => isTopLevel(frame, 'run-wizard')),
	'first render (runWizard)': stack => stack.some(frame => frame.functionName === 'runWizard'),
	'string-width': stack => stack.some(frame => /^stringWidth\d*$|^init_string_width/.test(frame.functionName)),
	'node:assert loaded': stack => stack.some(frame => frame.url === 'node:assert' && frame.lineNumber === 0),
	'node:child_process loaded': stack => stack.some(frame => frame.url === 'node:child_process' && frame.lineNumber === 0),
};

const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
const byScript = new Map();
const byFunction = new Map();
const byPart = new Map();
let elapsed = 0;
let reached = false;
for (const [index, sample] of profile.samples.entries()) {
	const stack = stackOf(sample);
	if (stack.some(frame => frame.functionName === cut)) {
		reached = true;
		break;
	}

	const ms = (profile.timeDeltas[index] ?? 0) / 1000;
	elapsed += ms;
	add(byScript, script(stack[0]), ms);
	add(byFunction, `${stack[0].functionName || '(anonymous)'} ${script(stack[0])}:${stack[0].lineNumber}`, ms);
	for (const [name, holds] of Object.entries(parts)) {
		if (holds(stack)) {
			add(byPart, name, ms);
		}
	}
}

const idle = byScript.get('(idle)') ?? 0;
const top = (map, count) =>
	[...map]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([key, ms]) => `${ms.toFixed(1).padStart(7)}  ${key}`)
		.join('\n');
console.log(
	`${reached ? `up to the first ${cut}` : `${cut} never ran: whole profile`}: ${elapsed.toFixed(1)} ms sampled, ${(elapsed - idle).toFixed(1)} ms busy`,
);
console.log(`-- parts (inclusive)\n${top(byPart, Object.keys(parts).length)}`);
console.log(`-- by script (self)\n${top(byScript, 12)}`);
console.log(`-- by function (self)\n${top(byFunction, 25)}`);
