import type { z } from 'zod';
import type { ListMessagesQuery, MessageList, OutboxMessage } from '../../shared/schemas/messages.js';
import type {
  Affecting,
  CancelOutageBody,
  CreateOutageBody,
  DeclareOutageBody,
  Districts,
  Feeders,
  ListOutagesQuery,
  Outage,
  OutageCustomers,
  OutageDetail,
  OutageKind,
  OutageList,
  OutageRules,
  OutageStatus,
  PublicOutages,
  RestoreOutageBody,
  SuspectedOutage,
  SuspectedOutages,
  UpdateOutageBody,
} from '../../shared/schemas/outages.js';
import { request } from './client.js';

// Outages (API.md, "Outages and messages"): the list and one outage, announcing
// and its lifecycle, the suspected ones, the outages over a caller for the
// intake's banner, the network to pick a scope from, and the public feed.

export type Feeder = z.infer<typeof Feeders>[number];
export type District = z.infer<typeof Districts>[number];
export type OutageQuery = Partial<ListOutagesQuery>;
export type {
  Affecting,
  CreateOutageBody,
  OutageRules,
  MessageList,
  Outage,
  OutageCustomers,
  OutageDetail,
  OutageKind,
  OutageList,
  OutageStatus,
  OutboxMessage,
  PublicOutages,
  SuspectedOutage,
  SuspectedOutages,
};

export const listOutages = (query: OutageQuery) => request<OutageList>('GET', '/outages', undefined, query);
export const getOutage = (id: number) => request<OutageDetail>('GET', `/outages/${id}`);
export const outageCustomers = (id: number, query: { page: number; pageSize: number; districtId?: number | undefined }) =>
  request<OutageCustomers>('GET', `/outages/${id}/customers`, undefined, query);

export const announceOutage = (body: CreateOutageBody) => request<OutageDetail>('POST', '/outages', body);
export const updateOutage = (id: number, body: UpdateOutageBody) => request<OutageDetail>('POST', `/outages/${id}/update`, body);
export const restoreOutage = (id: number, body: RestoreOutageBody) => request<OutageDetail>('POST', `/outages/${id}/restore`, body);
export const cancelOutage = (id: number, body: CancelOutageBody) => request<OutageDetail>('POST', `/outages/${id}/cancel`, body);

/** The outages over a caller: by the customer, the number, or a fault's place (any together: the answer covers them all). */
export const outagesAffecting = (query: {
  customerId?: number | undefined;
  phone?: string | undefined;
  districtId?: number | undefined;
  feederId?: number | undefined;
}) => request<Affecting>('GET', '/outages/affecting', undefined, query);

export const listSuspected = () => request<SuspectedOutages>('GET', '/outages/suspected');
export const declareSuspected = (body: Omit<DeclareOutageBody, 'cause'> & { cause?: string }) =>
  request<OutageDetail>('POST', '/outages/suspected/declare', body);
export const dismissSuspected = (body: { place: SuspectedOutage['place']; placeId: number; reason: string }) =>
  request<{ ok: true }>('POST', '/outages/suspected/dismiss', body);

export const listFeeders = (unitId?: number) => request<Feeder[]>('GET', '/feeders', undefined, { unitId });
export const listDistricts = (query: { feederId?: number; unitId?: number } = {}) => request<District[]>('GET', '/districts', undefined, query);
export const getOutageRules = () => request<OutageRules>('GET', '/outage-rules');

/** The outbox: an outage's messages that could not be delivered, say. */
export const listMessages = (query: Partial<ListMessagesQuery>) => request<MessageList>('GET', '/messages', undefined, query);

/** The public notices (no sign-in; nothing personal in them). */
export const publicOutages = (unitId?: number) => request<PublicOutages>('GET', '/public/outages', undefined, { unitId });
