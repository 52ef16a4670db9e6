// Every kind of document the v1 contract has, with its schema: `npm run schema` writes one JSON
// Schema file per entry under schema/v1/, and the contract tests check real output against them.
// The other kinds of `documentKinds` join with one line each.
import type {z} from 'zod';
import type {DocumentKind} from './envelope.js';
import {errorDocumentSchema} from './error.js';
import {historyDocumentSchema} from './history.js';
import {inspectionDocumentSchema} from './inspection.js';
import {packageListDocumentSchema} from './package-list.js';
import {planDocumentSchema} from './plan.js';
import {runEventDocumentSchema} from './run-event.js';
import {verificationDocumentSchema} from './verification.js';

export const documentSchemas: Partial<Record<DocumentKind, z.ZodType>> = {
	Plan: planDocumentSchema,
	RunEvent: runEventDocumentSchema,
	Verification: verificationDocumentSchema,
	History: historyDocumentSchema,
	PackageList: packageListDocumentSchema,
	Inspection: inspectionDocumentSchema,
	Error: errorDocumentSchema,
};

/** `Plan` → `plan.schema.json`, `RunEvent` → `run-event.schema.json`. */
export const schemaFileName = (kind: DocumentKind) => `${kind.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}.schema.json`;
