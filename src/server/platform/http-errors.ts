import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type Issue } from './errors.js';

// Every error leaves as `{statusCode, error, message, issues?, requestId}`:
// a 4xx that names what is wrong, or a 500 that names nothing but the request id.

interface ValidationItem {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function issuesOf(context: string, items: ValidationItem[]): Issue[] {
  return items.flatMap((item): Issue[] => {
    const base = [context, ...item.instancePath.split('/').filter(Boolean)].join('.');
    if (item.keyword === 'unrecognized_keys' && Array.isArray(item.params?.keys)) {
      return (item.params.keys as string[]).map((key) => ({ path: `${base}.${key}`, message: 'is not a known field' }));
    }
    if (item.keyword === 'invalid_type' && / received undefined$/.test(item.message ?? '')) {
      return [{ path: base, message: 'is required' }];
    }
    return [{ path: base, message: item.message ?? 'is invalid' }];
  });
}

/** A Zod parse made by a route itself (an optional body), named as the schema validator names it. */
export function zodIssues(context: string, issues: readonly { code: string; path: PropertyKey[]; message: string; keys?: string[] }[]): Issue[] {
  return issuesOf(
    context,
    issues.map((i) => ({
      instancePath: i.path.map((p) => `/${String(p)}`).join(''),
      keyword: i.code,
      message: i.message,
      params: i.keys ? { keys: i.keys } : {},
    })),
  );
}

/** Database constraint errors that a racing request can still trigger after the service's checks. */
function constraintConflict(error: unknown): string | null {
  const e = error as { code?: string; message?: string };
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return 'a record with the same key already exists';
  if (e.code === '23503' || e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'the change refers to a record that does not exist or is still referred to';
  return null;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but the content-type is application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than the server accepts',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content-type: send application/json (a file: application/octet-stream, where the route takes one)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content-length does not match the body',
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const requestId = request.id;
  if (error instanceof AppError) {
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.code, message: error.message, issues: error.issues, requestId });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = issuesOf(error.validationContext ?? 'body', error.validation as ValidationItem[]);
    const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return reply.code(400).send({ statusCode: 400, error: 'validation', message, issues, requestId });
  }
  const conflict = constraintConflict(error);
  if (conflict) return reply.code(409).send({ statusCode: 409, error: 'conflict', message: conflict, requestId });

  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    // A route that takes a file says its limit in words (e.g. "a file may be at most 20 MB").
    const routeSays = status === 413 ? request.routeOptions.config?.tooLarge : undefined;
    const message = routeSays ?? (error.code && FASTIFY_MESSAGES[error.code]) ?? error.message;
    const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return reply.code(status).send({ statusCode: status, error: code, message, requestId });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ statusCode: 500, error: 'internal', message: `internal error; quote request ${requestId} to support`, requestId });
}
