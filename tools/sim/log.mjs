// The simulator's output channels and its one failure type: an `[Error]:[Error] <cause>` exit.
export const out = line => process.stdout.write(`${line}\n`);
export const err = line => process.stderr.write(`${line}\n`);

/** A klog line as charts-syncer writes it: `I1124 20:01:47.234706    8743 sync.go:66] …`. */
export function klog(file, message) {
	const now = new Date();
	const pad = (n, w = 2) => String(n).padStart(w, '0');
	const stamp = `I${pad(now.getMonth() + 1)}${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds() * 1000, 6)}`;
	return `${stamp}    ${process.pid} ${file}] ${message}`;
}

export class Fatal extends Error {}

export function fail(cause) {
	throw new Fatal(cause);
}
