// Typed errors, mapped to HTTP in one place (the app's error handler).

export const ERROR_STATUS = {
  validation: 400,
  unauthenticated: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  locked: 423,
  too_many_requests: 429,
  unavailable: 503,
} as const;
export type AppErrorCode = keyof typeof ERROR_STATUS;

export interface Issue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly issues: Issue[] | undefined;
  /** Sent as Retry-After: when a refused attempt may be made again (429, 423, 503). */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: AppErrorCode, message: string, issues?: Issue[], options?: { retryAfterSeconds?: number }) {
    super(message);
    this.code = code;
    this.issues = issues;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);
/** A body field that passed the schema but breaks a rule; named as the schema names fields (`body.parentId`). */
export const invalid = (field: string, message: string) => new AppError('validation', `body.${field}: ${message}`, [{ path: `body.${field}`, message }]);
