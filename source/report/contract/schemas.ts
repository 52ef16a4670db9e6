// Every kind of document the v1 contract has, with its schema: `npm run schema` writes one JSON
// Schema file per entry under schema/v1/, and the contract tests check real output against them.
// A new kind joins with one line: the table is typed over every kind, so a missing one does not compile.
import type {z} from 'zod';
import type {DocumentKind} from './envelope.js';
import {errorDocumentSchema} from './error.js';
import {historyDocumentSchema} from './history.js';
import {inspectionDocumentSchema} from './inspection.js';
import {packageListDocumentSchema} from './package-list.js';
import {planDocumentSchema} from './plan.js';
import {runEventDocumentSchema} from './run-event.js';
import {runResultSchema} from './run-result.js';
import {statusSchema} from './status.js';
import {undoDocumentSchema} from './undo.js';
import {verificationDocumentSchema} from './verification.js';

export const documentSchemas: Record<DocumentKind, z.ZodType> = {
	Plan: planDocumentSchema,
	RunEvent: runEventDocumentSchema,
	RunResult: runResultSchema,
	Status: statusSchema,
	Verification: verificationDocumentSchema,
	History: historyDocumentSchema,
	PackageList: packageListDocumentSchema,
	Inspection: inspectionDocumentSchema,
	Error: errorDocumentSchema,
	Undo: undoDocumentSchema,
};

/** `Plan` → `plan.schema.json`, `RunEvent` → `run-event.schema.json`. */
export const schemaFileName = (kind: DocumentKind) => `${kind.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}.schema.json`;
