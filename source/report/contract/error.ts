// The Error document: any command under `--json` that ends on an error prints this one line, its
// `error.id` the cause's stable kind and `exitCode` what the process exits with.
import {z} from 'zod';
import {problemSchema} from './common.js';
import {documentSchema} from './envelope.js';

export const errorDocumentSchema = documentSchema('Error', {error: problemSchema, exitCode: z.number().int()});
export type ErrorDocument = z.infer<typeof errorDocumentSchema>;
