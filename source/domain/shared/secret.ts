// A password held so that it cannot be printed by accident: JSON, string conversion and Node's
// inspector all show a mask. Only `reveal()` gives the value, at the one place that sends it.
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
	readonly #value: string;

	constructor(value: string) {
		this.#value = value;
	}

	reveal(): string {
		return this.#value;
	}

	toJSON(): string {
		return '[hidden]';
	}

	toString(): string {
		return '[hidden]';
	}

	[inspectSymbol](): string {
		return 'Secret([hidden])';
	}
}
