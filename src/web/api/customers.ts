import type { z } from 'zod';
import type {
  AccountManagerResult,
  AccountManagers,
  ConsumptionImportResult,
  Contact,
  ContactsBody,
  CustomerRecord,
  Desk,
  KeyAccounts,
} from '../../shared/schemas/customers.js';
import { ApiError, request } from './client.js';

// Customers and key accounts (API.md, "Customers and key accounts"): the
// customer record, contacts, account managers, the consumption import, the
// key-account list and the account manager's desk.

export type { Contact, CustomerRecord, Desk, KeyAccounts };
export type AccountManager = z.infer<typeof AccountManagers>['items'][number];
export type ConsumptionResult = z.infer<typeof ConsumptionImportResult>;

export const getCustomer = (id: number) => request<CustomerRecord>('GET', `/customers/${id}`);
export const setContacts = (id: number, body: ContactsBody) => request<{ items: Contact[] }>('PUT', `/customers/${id}/contacts`, body);
export const setAccountManager = (id: number, userId: number | null) =>
  request<z.infer<typeof AccountManagerResult>>('PUT', `/customers/${id}/account-manager`, { userId });
export const listAccountManagers = () => request<z.infer<typeof AccountManagers>>('GET', '/account-managers');
export const getKeyAccounts = (query: { year?: number | undefined; top?: number | undefined; accountManagerId?: number | undefined }) =>
  request<KeyAccounts>('GET', '/key-accounts', undefined, query);
export const keyAccountsWorkbookUrl = (query: { year?: number | undefined; top?: number | undefined }) => {
  const q = new URLSearchParams();
  if (query.year !== undefined) q.set('year', String(query.year));
  if (query.top !== undefined) q.set('top', String(query.top));
  return `/api/key-accounts/export?${q}`;
};
export const getDesk = () => request<Desk>('GET', '/customers/desk');

const CSRF_COOKIE = 'csrf_token';
const readCookie = (name: string) =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/**
 * Uploads a consumption file (CSV or xlsx) as its own body. Refused (400),
 * it resolves with the rejected rows, each named: the page shows them.
 */
export async function importConsumption(file: File): Promise<ConsumptionResult> {
  const xlsx = /\.xlsx$/i.test(file.name);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
  const response = await fetch(`/api/customers/consumption?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
  const body = (await response.json().catch(() => null)) as (ConsumptionResult & { message?: string; error?: string }) | null;
  if (response.status === 400 && body && Array.isArray(body.rejected) && body.rejected.length > 0) return { imported: 0, rejected: body.rejected };
  if (!response.ok) throw new ApiError(response.status, body?.error ?? 'http', body?.message ?? `${response.status}`);
  return body!;
}
