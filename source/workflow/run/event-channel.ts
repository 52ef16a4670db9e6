// Turns pushed events (installer output arrives on callbacks and timers) into one async iterable,
// the shape every renderer consumes. Unbounded by design: the producers read the installer's
// capture files a bounded amount per turn, and every consumer drains between turns.
export type Channel<T> = AsyncIterable<T> & {
	push(item: T): void;
	/** No more items; a consumer waiting is released. */
	end(): void;
	/** The consumer left early (break/return): producers may stop pushing. */
	readonly detached: boolean;
};

export function createChannel<T>(onDetach?: () => void): Channel<T> {
	let queue: T[] = [];
	let head = 0;
	let ended = false;
	let detached = false;
	let wake: (() => void) | undefined;
	const release = () => {
		const resolve = wake;
		wake = undefined;
		resolve?.();
	};

	return {
		get detached() {
			return detached;
		},
		push(item) {
			if (ended || detached) {
				return;
			}

			queue.push(item);
			release();
		},
		end() {
			ended = true;
			release();
		},
		[Symbol.asyncIterator]() {
			return {
				async next(): Promise<IteratorResult<T>> {
					for (;;) {
						if (head < queue.length) {
							const value = queue[head++]!;
							// Drop what was consumed now and then, not per item: shifting is O(n).
							if (head >= 4096) {
								queue = queue.slice(head);
								head = 0;
							}

							return {value, done: false};
						}

						if (ended || detached) {
							return {value: undefined, done: true};
						}

						await new Promise<void>(resolve => {
							wake = resolve;
						});
					}
				},
				async return(): Promise<IteratorResult<T>> {
					if (!ended) {
						detached = true;
						queue = [];
						head = 0;
						onDetach?.();
					}

					return {value: undefined, done: true};
				},
			};
		},
	};
}

/** Every event of a stream, for tests and for consumers that need the whole run (JSON to a file). */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of stream) {
		items.push(item);
	}

	return items;
}
