import type { AuditEntry, ListAuditQuery } from '../../shared/schemas/audit.js';
import type { ApiToken, CreatedApiToken, CreateTokenBody, LoginBody, LoginResponse, MeResponse } from '../../shared/schemas/auth.js';
import type { ErrorResponse } from '../../shared/schemas/common.js';
import type { CreateUnitBody, CreateUserBody, ListUsersQuery, Unit, UpdateUnitBody, UpdateUserBody, UserDetail } from '../../shared/schemas/org.js';

// Types only from the shared schemas: the server validates, so the bundle need not carry Zod.

export type Issue = NonNullable<ErrorResponse['issues']>[number];

export class ApiError extends Error {
  readonly status: number;
  /** The server's machine-readable code (validation, unauthenticated, locked, …), or `network`. */
  readonly error: string;
  readonly issues: Issue[] | undefined;
  readonly requestId: string | undefined;
  /** From the Retry-After header (423 locked, 429 too many requests): how many seconds to wait before trying again. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, error: string, message: string, issues?: Issue[], requestId?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.issues = issues;
    this.requestId = requestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined | null>;

const CSRF_COOKIE = 'csrf_token';

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// The session provider listens here, so that an expired session anywhere sends the user to the login page.
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Retry-After in seconds: the header holds either a number of seconds or an HTTP date. */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterOf(response);
  try {
    const body = (await response.json()) as Partial<ErrorResponse>;
    if (typeof body.message === 'string') {
      return new ApiError(response.status, body.error ?? 'error', body.message, body.issues, body.requestId, retryAfter);
    }
  } catch {
    // not JSON: a proxy's or the browser's error page
  }
  return new ApiError(response.status, 'http', `${response.status} ${response.statusText}`.trim(), undefined, undefined, retryAfter);
}

export async function request<T>(method: Method, path: string, body?: unknown, query?: Query, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), query, headers);
}

/** POSTs a file's bytes as they are (application/octet-stream); what the file is called goes in the query. */
export const sendFile = <T>(path: string, file: Blob, query?: Query): Promise<T> =>
  send<T>('POST', path, file, query, { 'content-type': 'application/octet-stream' });

async function send<T>(method: Method, path: string, body: BodyInit | undefined, query: Query | undefined, extraHeaders: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(`/api${path}`, query), { method, headers, credentials: 'same-origin', body });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) {
    const error = await toApiError(response);
    // A failed login is also a 401, but it is the login form's business, not a lost session.
    if (response.status === 401 && path !== '/auth/login') unauthenticatedListeners.forEach((listener) => listener());
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

// ── sessions ───────────────────────────────────────────────────────────────
export const login = (body: LoginBody) => request<LoginResponse>('POST', '/auth/login', body);
export const logout = () => request<{ ok: true }>('POST', '/auth/logout');
export const me = () => request<MeResponse>('GET', '/me');
/** Ends the user's other sessions; 429 (with Retry-After) after five wrong current passwords in 15 minutes. */
export const changePassword = (body: { currentPassword: string; newPassword: string }) => request<{ ok: true }>('POST', '/me/password', body);

// ── organisation ───────────────────────────────────────────────────────────
export const listUnits = () => request<Unit[]>('GET', '/units');
export const createUnit = (body: CreateUnitBody) => request<Unit>('POST', '/units', body);
export const updateUnit = (id: number, body: UpdateUnitBody) => request<Unit>('PATCH', `/units/${id}`, body);

export const listUsers = (query: Partial<ListUsersQuery> = {}) => request<UserDetail[]>('GET', '/users', undefined, query);
export const getUser = (id: number) => request<UserDetail>('GET', `/users/${id}`);
export const createUser = (body: CreateUserBody) => request<UserDetail>('POST', '/users', body);
export const updateUser = (id: number, body: UpdateUserBody) => request<UserDetail>('PATCH', `/users/${id}`, body);
export const unlockUser = (id: number) => request<UserDetail>('POST', `/users/${id}/unlock`);

// ── integrations and audit ─────────────────────────────────────────────────
export const listTokens = () => request<ApiToken[]>('GET', '/tokens');
export const createToken = (body: CreateTokenBody) => request<CreatedApiToken>('POST', '/tokens', body);
export const revokeToken = (id: number) => request<ApiToken>('POST', `/tokens/${id}/revoke`);

export const listAudit = (query: Partial<ListAuditQuery> = {}) => request<AuditEntry[]>('GET', '/audit', undefined, query);

export type { ApiToken, AuditEntry, CreatedApiToken, MeResponse, Unit, UserDetail };

/**
 * Uploads a table (CSV or xlsx) as its own body to an all-or-nothing import. Refused (400) with the bad rows
 * named, it resolves with them (`imported: 0`): the page shows each. Any other failure throws an ApiError.
 */
export async function uploadTable<T extends { imported: number; rejected: { row: number; problem: string }[] }>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(`/api${path}?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
  const body = (await response.json().catch(() => null)) as (T & { message?: string; error?: string }) | null;
  if (response.status === 400 && body && Array.isArray(body.rejected) && body.rejected.length > 0) return { ...body, imported: 0, rejected: body.rejected };
  if (!response.ok) throw new ApiError(response.status, body?.error ?? 'http', body?.message ?? `${response.status}`);
  return body!;
}
