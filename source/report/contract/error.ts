// The Error document: any command under `--json` that ends on an error prints this one line, its
// `error.id` the cause's stable kind and `exitCode` what the process exits with.
import {z} from 'zod';
import {wordNextStep} from '../../domain/shared/next-step.js';
import type {WizardError} from '../../domain/shared/wizard-error.js';
import {problemSchema} from './common.js';
import {documentSchema, envelope} from './envelope.js';

export const errorDocumentSchema = documentSchema('Error', {error: problemSchema, exitCode: z.number().int()});
export type ErrorDocument = z.infer<typeof errorDocumentSchema>;

/** `hint` is the next step as plain output words it (the flag to pass, not the key to press). */
export function toPublicError(error: WizardError): ErrorDocument {
	return envelope('Error', {error: {id: error.kind, message: error.message, hint: wordNextStep(error, 'plain')}, exitCode: error.exitCode});
}
