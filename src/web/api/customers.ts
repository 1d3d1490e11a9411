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
import { request, uploadTable } from './client.js';

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

/** Uploads a consumption file (CSV or xlsx); refused with rows named, it resolves with them. */
export const importConsumption = (file: File) => uploadTable<ConsumptionResult>('/customers/consumption', file);
