// The installer unpacks the package and then each chart bundle. An entry that would land
// outside the folder it unpacks into (`../../etc/passwd`, `/etc/cron.d/x`, a symlink out of it),
// a hard link, or a device or FIFO has no place in a package the Download Center built: it is
// flagged at each level the installer unpacks, before anything is unpacked.
import path from 'node:path';
import type {Finding} from '../../domain/shared/findings.js';
import type {TarHeader} from './tar-stream.js';

const typeReasons: Record<string, string> = {
	'3': 'character device',
	'4': 'block device',
	'6': 'FIFO',
};

/** Why unpacking this entry is unsafe, or undefined when it is not. */
export function unsafeReason(header: TarHeader): string | undefined {
	const {name, type, linkName} = header;
	if (name.startsWith('/')) {
		return 'absolute path';
	}

	if (name.split('/').includes('..')) {
		return 'leaves the folder';
	}

	if (typeReasons[type]) {
		return typeReasons[type];
	}

	if (type === '1') {
		return `hard link to ${linkName}`;
	}

	if (type === '2') {
		const target = path.posix.normalize(path.posix.join(path.posix.dirname(name), linkName));
		if (linkName.startsWith('/') || target === '..' || target.startsWith('../')) {
			return `symlink to ${linkName}, outside the package`;
		}
	}

	return undefined;
}

const shown = 3;

/** Collects unsafe entries across levels; one finding names the first few and counts them all. */
export class UnsafeEntries {
	private readonly examples: string[] = [];
	private count = 0;

	/** `where` is the bundle the entry sits in, or undefined for the package itself. */
	note(header: TarHeader, where?: string): void {
		const reason = unsafeReason(header);
		if (!reason) {
			return;
		}

		this.count++;
		if (this.examples.length < shown) {
			this.examples.push(`${where ? `${where} › ` : ''}${header.name} (${reason})`);
		}
	}

	finding(): Finding | undefined {
		if (this.count === 0) {
			return undefined;
		}

		const more = this.count > this.examples.length ? `, and ${this.count - this.examples.length} more` : '';
		return {
			code: 'unsafe-entries',
			severity: 'error',
			message: `${this.count} ${this.count === 1 ? 'entry' : 'entries'} the installer would unpack outside its folder, as a link or as a device: ${this.examples.join('; ')}${more}.`,
			hint: 'Do not import this package: the Download Center builds none like it. Download it again from there.',
			details: {count: this.count, entries: this.examples},
		};
	}
}
