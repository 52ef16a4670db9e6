// The files a run looks at around the installer (workflow/ports/files-port.ts), on this host.
import type {FilesPort} from '../../workflow/ports/files-port.js';
import {dirSize} from '../host/dir-size.js';
import {pathExists, readText, statFile} from '../host/file-facts.js';
import {canWriteDir} from '../plan/preflight-facts.js';

export const runFiles: FilesPort = {readText, stat: statFile, exists: pathExists, canWriteDir, dirSize};
