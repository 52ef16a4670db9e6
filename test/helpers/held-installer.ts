// The installer simulator wrapped so it holds on after its import until the test creates a gate
// file: the step is still "running" for as long as the test needs, however slow the machine.
import {chmod, writeFile} from 'node:fs/promises';
import process from 'node:process';
import {simulatorPath} from './cluster-fixture.js';

/** Writes the wrapper at `installer` and returns its path; `touch gate` lets it exit with the simulator's code. */
export async function heldSimulator(installer: string, gate: string): Promise<string> {
	await writeFile(
		installer,
		`#!/bin/sh\n'${process.execPath}' '${simulatorPath}' "$@"\ncode=$?\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexit $code\n`,
	);
	await chmod(installer, 0o755);
	return installer;
}
