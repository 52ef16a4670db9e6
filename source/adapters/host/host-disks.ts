// The disks under a run (workflow/ports/disks-port.ts), on this host.
import type {DisksPort} from '../../workflow/ports/disks-port.js';
import {diskInfo} from './disk-info.js';
import {filesystemFacts} from './filesystem-facts.js';

export const hostDisks: DisksPort = {diskInfo, filesystemOf: filesystemFacts};
