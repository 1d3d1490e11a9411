import { z } from 'zod';

// Shapes every endpoint shares. Request bodies are strict objects: an unknown
// field is an error naming it, not something silently dropped.

/** An id in a JSON body: a positive integer, never a string (and within the databases' 32-bit ids). */
export const Id = z.number().int().positive().max(2_147_483_647);
/** An id in a path or query string, where everything arrives as text. */
export const IdParam = z.coerce.number().int().positive().max(2_147_483_647);
export const IdParams = z.strictObject({ id: IdParam });

export const IsoTime = z.iso.datetime({ offset: true });

export const ErrorResponse = z.object({
  statusCode: z.number().int(),
  error: z.string().describe('machine-readable code, e.g. validation, unauthenticated, forbidden, not_found, conflict'),
  message: z.string().describe('what is wrong, naming the field'),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const Page = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const Ok = z.object({ ok: z.literal(true) });

/** A trimmed, non-empty single-line text of at most `max` characters. */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** A phone number as agents type it: digits, +, -, parentheses and spaces. */
export const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{3,32}$/, 'must be a phone number');

/** A calendar date, YYYY-MM-DD, that exists. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

/** A month, YYYY-MM. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

/** A trimmed, non-empty text of at most `max` characters; line breaks and tabs allowed, other control characters not. */
export const LongText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- control characters are what it refuses
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

/** An ISO instant with its offset, or a date (meaning its local midnight in the company's time zone, SUQIU_TIME_ZONE). */
export const InstantOrDate = z.union([z.iso.datetime({ offset: true }), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO time or a date YYYY-MM-DD')]);
