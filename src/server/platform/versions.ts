import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

// Optimistic concurrency over HTTP: a change carries the version its author
// read (If-Match), and a record changed meanwhile answers 409.

/** The version the caller read, from `If-Match: "7"` (or `7`): a change to a newer version is a 409. */
export function versionOf(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(String(header));
  if (!match)
    throw new AppError('validation', 'headers.if-match: must be the version you read, e.g. "3"', [
      { path: 'headers.if-match', message: 'must be the version you read, e.g. "3"' },
    ]);
  return Number(match[1]);
}
