import { ErrorResponse, IdParams } from '../../../shared/schemas/common.js';
import { CustomerLookup, CustomerLookupQuery, CustomerMessaging, CustomerMessagingBody, Places, PlacesQuery } from '../../../shared/schemas/demands.js';
import { serviceContext, type App, type Deps } from '../../platform/context.js';
import {
  AccountManagerBody,
  AccountManagerResult,
  AccountManagers,
  ConsumptionImportResult,
  ConsumptionQuery,
  ConsumptionRefused,
  Contacts,
  ContactsBody,
  CustomerRecord,
  Desk,
  KeyAccounts,
  KeyAccountSettings,
  KeyAccountsQuery,
} from '../../../shared/schemas/customers.js';
import { AppError } from '../../platform/errors.js';
import { sendWorkbook, XLSX_TYPE } from '../../platform/xlsx.js';
import { importConsumption } from './consumption.js';
import { desk } from './desk.js';
import { getKeyAccountSettings, keyAccounts, keyAccountsWorkbook, setKeyAccountSettings } from './key-accounts.js';
import { assignAccountManager, customerRecord, listAccountManagers, setContacts } from './record.js';
import { lookup, places, setCustomerMessaging } from './service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
/** A consumption file may be large (a year of every account: 2.4 million rows). */
const CONSUMPTION_MAX_BYTES = 512 * 1024 * 1024;

export async function customerRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/customers/lookup',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'Screen pop: customers by phone, 户号 or name, with their open and recent demands',
        querystring: CustomerLookupQuery,
        response: { 200: CustomerLookup },
      },
    },
    async (request) => lookup(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/network/places',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'A fault’s place: 台区 and feeders by a part of their name, with the station a repair there goes to',
        querystring: PlacesQuery,
        response: { 200: Places },
      },
    },
    async (request) => places(serviceContext(request, deps), request.query.q),
  );
  app.put(
    '/api/customers/:id/messaging',
    {
      config: { action: 'customer.messaging' },
      schema: {
        tags: ['customers'],
        summary: 'How the customer is told: SMS or e-mail, and opting out of non-essential messages (outage notices still go)',
        params: IdParams,
        body: CustomerMessagingBody,
        response: { 200: CustomerMessaging, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => setCustomerMessaging(serviceContext(request, deps), request.params.id, request.body),
  );

  app.get(
    '/api/customers/desk',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'The account manager’s desk: their accounts, the open demands of these, their open applications, their actions and visits due within 7 days',
        response: { 200: Desk, ...errors },
      },
    },
    async (request) => desk(serviceContext(request, deps)),
  );
  app.get(
    '/api/customers/:id',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary:
          'The customer record: profile, contacts, consumption, network place, account manager, every demand and call (calls from their phone before they were known marked), outages, plans, activities and applications',
        params: IdParams,
        response: { 200: CustomerRecord, ...errors },
      },
    },
    async (request) => customerRecord(serviceContext(request, deps), request.params.id),
  );
  app.put(
    '/api/customers/:id/contacts',
    {
      config: { action: 'customer.manage' },
      schema: {
        tags: ['customers'],
        summary: 'The customer’s contact persons with their roles (the set replaces the old)',
        params: IdParams,
        body: ContactsBody,
        response: { 200: Contacts, ...errors },
      },
    },
    async (request) => setContacts(serviceContext(request, deps), request.params.id, request.body),
  );
  app.put(
    '/api/customers/:id/account-manager',
    {
      config: { action: 'customer.manage' },
      schema: {
        tags: ['customers'],
        summary: 'Give the customer to an account manager (a user with the role account_manager; null: nobody); the manager is told',
        params: IdParams,
        body: AccountManagerBody,
        response: { 200: AccountManagerResult, ...errors },
      },
    },
    async (request) => assignAccountManager(serviceContext(request, deps), request.params.id, request.body.userId),
  );
  app.get(
    '/api/account-managers',
    {
      config: { action: 'customer.read' },
      schema: { tags: ['customers'], summary: 'The account managers, with how many customers each owns', response: { 200: AccountManagers, ...errors } },
    },
    async (request) => listAccountManagers(serviceContext(request, deps)),
  );
  app.get(
    '/api/key-accounts',
    {
      config: { action: 'customer.read' },
      schema: {
        tags: ['customers'],
        summary: 'Key accounts: the year’s top N by consumption with each one’s share and the cumulative share',
        description: 'year defaults to the latest year with imported consumption; top to the setting customers.keyAccounts (100).',
        querystring: KeyAccountsQuery,
        response: { 200: KeyAccounts, ...errors },
      },
    },
    async (request) => keyAccounts(serviceContext(request, deps), request.query),
  );
  app.get(
    '/api/key-accounts/export',
    {
      config: { action: 'customer.read' },
      schema: { tags: ['customers'], summary: 'The key-account list as an Excel workbook', querystring: KeyAccountsQuery, produces: [XLSX_TYPE] },
    },
    async (request, reply) => {
      const list = await keyAccounts(serviceContext(request, deps), request.query);
      return sendWorkbook(reply, await keyAccountsWorkbook(list), `key-accounts-${list.year ?? ''}.xlsx`, `核心客户-${list.year ?? ''}.xlsx`);
    },
  );
  app.get(
    '/api/key-accounts/settings',
    {
      config: { action: 'customer.read' },
      schema: { tags: ['customers'], summary: 'How many of the largest customers are key accounts', response: { 200: KeyAccountSettings, ...errors } },
    },
    async (request) => getKeyAccountSettings(serviceContext(request, deps)),
  );
  app.put(
    '/api/key-accounts/settings',
    {
      config: { action: 'settings.manage' },
      schema: {
        tags: ['customers'],
        summary: 'Change how many of the largest customers are key accounts (they are ranked again)',
        body: KeyAccountSettings,
        response: { 200: KeyAccountSettings, ...errors },
      },
    },
    async (request) => setKeyAccountSettings(serviceContext(request, deps), request.body),
  );

  // The file itself is the body: CSV (text/csv) or a workbook (the xlsx type, or application/octet-stream), its name in the query.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(
      ['text/csv', XLSX_TYPE, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: CONSUMPTION_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/customers/consumption',
      {
        config: { action: 'customer.manage', tooLarge: 'a consumption file may be at most 512 MB' },
        bodyLimit: CONSUMPTION_MAX_BYTES,
        schema: {
          tags: ['customers'],
          summary:
            'Import monthly consumption (the body: CSV, text/csv, or xlsx) with the columns 户号/accountNo, 月份/month (YYYY-MM), 电量/kWh; all or nothing: 400 names each bad row',
          consumes: ['text/csv', XLSX_TYPE, 'application/octet-stream'],
          querystring: ConsumptionQuery,
          response: { 200: ConsumptionImportResult, 400: ConsumptionRefused, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new AppError('unsupported_media_type', 'send the file itself as the body, with content-type text/csv or the xlsx type');
        const type = String(request.headers['content-type'] ?? '');
        const result = await importConsumption(serviceContext(request, deps), request.body, type, request.query.name ?? null);
        if (result.rejected.length > 0)
          return reply.code(400).send({
            statusCode: 400,
            error: 'validation',
            message: `nothing imported: ${result.rejected.length} row(s) rejected: ${result.rejected
              .slice(0, 5)
              .map((r) => `row ${r.row}: ${r.problem}`)
              .join('; ')}${result.rejected.length > 5 ? '; …' : ''}`,
            imported: 0,
            rejected: result.rejected,
          });
        return result;
      },
    );
  });
}
