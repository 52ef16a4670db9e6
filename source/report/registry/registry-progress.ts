// Reading a thousand tags takes seconds, and a registry that drops packets keeps the read waiting
// for the connect timeout: without screens, name the registry once it has not answered within a
// second, then say how far the read got (on stderr, so --json output stays clean). A fast read
// says nothing.
import type {RegistryReadProgress} from '../../workflow/ports/registry-port.js';
import type {Io} from '../io.js';

export type RegistryProgressPrinter = {onProgress: (progress: RegistryReadProgress) => void; done: () => void};

export function registryProgressPrinter(
	io: Io,
	words: (done: number, total: number) => string,
	options: {everyMs?: number; quietMs?: number} = {},
): RegistryProgressPrinter {
	const everyMs = options.everyMs ?? 1000;
	let last = 0;
	let waiting: NodeJS.Timeout | undefined;
	const done = () => {
		clearTimeout(waiting);
		waiting = undefined;
	};

	return {
		onProgress(progress) {
			done();
			if (progress.connectingTo) {
				const url = progress.connectingTo;
				waiting = setTimeout(() => {
					io.stderr(`waiting for the registry at ${url} to answer…\n`);
				}, options.quietMs ?? 1000);
				waiting.unref();
				return;
			}

			// Once a line was said, the last one is said too, so the count does not stop short.
			if (progress.elapsedMs - last >= everyMs || (last > 0 && progress.done === progress.total)) {
				last = progress.elapsedMs;
				io.stderr(`${words(progress.done, progress.total)}\n`);
			}
		},
		done,
	};
}
