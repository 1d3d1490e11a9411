import { z } from 'zod';
import { AREA_CLASSES, CUSTOMER_CLASSES } from '../codes.js';
import { Id, IdParam, Phone, Text } from './common.js';

// Customers and key accounts (API.md, "Customers and key accounts"; DESIGN.md,
// "Customers and key accounts (seed 001)"): the customer record, contacts,
// monthly consumption and its import, key accounts, account managers and
// their desk.

export const CONTACT_ROLES = ['legal_rep', 'electrician', 'finance', 'liaison', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const Contact = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(CONTACT_ROLES),
  phone: z.string(),
  email: z.string().nullable(),
  note: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactsBody = z.strictObject({
  contacts: z
    .array(
      z.strictObject({
        name: Text(100),
        role: z.enum(CONTACT_ROLES),
        phone: Phone,
        email: z.email('must be an e-mail address').max(200).nullish(),
        note: z.string().trim().max(1000, 'must be at most 1000 characters').nullish(),
      }),
    )
    .max(50, 'at most 50 contacts'),
});
export type ContactsBody = z.infer<typeof ContactsBody>;
export const Contacts = z.object({ items: z.array(Contact) });

export const AccountManagerBody = z.strictObject({ userId: Id.nullable() });
export const AccountManagerResult = z.object({
  customerId: z.number().int(),
  accountManagerId: z.number().int().nullable(),
  accountManager: z.object({ id: z.number().int(), name: z.string(), phone: z.string().nullable() }).nullable(),
});

const RecordDemand = z.object({
  id: z.number().int(),
  number: z.string(),
  channel: z.string(),
  type: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** The case's first call when this call joined one. */
  caseId: z.number().int().nullable(),
  callCount: z.number().int(),
  /** customer: by the customer's 户号; phone: a call from their phone while they were not known (no 户号, or another's). */
  matchedBy: z.enum(['customer', 'phone']),
  accountNo: z.string().nullable(),
});

export const CustomerRecord = z.object({
  id: z.number().int(),
  accountNo: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  customerClass: z.enum(CUSTOMER_CLASSES),
  areaClass: z.enum(AREA_CLASSES),
  /** 重要电力用户: halves the time limits. */
  important: z.boolean(),
  /** 核心客户: among the top N by the year's consumption, with its rank. */
  keyAccount: z.boolean(),
  keyAccountRank: z.number().int().nullable(),
  messaging: z.object({ channel: z.enum(['sms', 'email']), email: z.string().nullable(), optOut: z.boolean() }),
  network: z.object({
    stationId: z.number().int(),
    stationName: z.string(),
    countyId: z.number().int().nullable(),
    countyName: z.string().nullable(),
    feederId: z.number().int(),
    feederName: z.string(),
    districtId: z.number().int(),
    districtName: z.string(),
  }),
  accountManagerId: z.number().int().nullable(),
  accountManager: z.object({ id: z.number().int(), name: z.string(), phone: z.string().nullable() }).nullable(),
  contacts: z.array(Contact),
  consumption: z.object({
    /** The last 24 months imported, oldest first. */
    months: z.array(z.object({ month: z.string(), kwh: z.number() })),
    years: z.array(z.object({ year: z.number().int(), kwh: z.number(), months: z.number().int() })),
  }),
  demands: z.array(RecordDemand),
  outages: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      kind: z.string(),
      status: z.string(),
      cause: z.string(),
      startsAt: z.string(),
      expectedEndAt: z.string(),
      restoredAt: z.string().nullable(),
      /** How it reached the customer: the customer named, their 台区 or their feeder. */
      scope: z.enum(['customer', 'district', 'feeder']),
    }),
  ),
  plans: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      segment: z.string().nullable(),
      title: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
      createdAt: z.string(),
      actions: z.array(z.object({ id: z.number().int(), text: z.string(), dueOn: z.string(), status: z.string(), ownerName: z.string() })),
    }),
  ),
  activities: z.array(
    z.object({ id: z.number().int(), kind: z.string(), heldOn: z.string(), topic: z.string(), outcome: z.string(), place: z.string().nullable() }),
  ),
  applications: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      kind: z.string(),
      capacityKva: z.number(),
      voltage: z.string(),
      status: z.string(),
      stage: z.string().nullable(),
      stageDueAt: z.string().nullable(),
      late: z.boolean(),
      createdAt: z.string(),
    }),
  ),
});
export type CustomerRecord = z.infer<typeof CustomerRecord>;

export const ConsumptionQuery = z.strictObject({ name: z.string().trim().min(1).max(300).optional() });
export const ConsumptionRejection = z.object({ row: z.number().int(), problem: z.string() });
export const ConsumptionImportResult = z.object({ imported: z.number().int(), rejected: z.array(ConsumptionRejection) });
export type ConsumptionImportResult = z.infer<typeof ConsumptionImportResult>;
/** A refused import: nothing saved, every bad row named. */
export const ConsumptionRefused = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  imported: z.literal(0),
  rejected: z.array(ConsumptionRejection),
});

export const KeyAccountsQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  top: z.coerce.number().int().min(1).max(1000).optional(),
  accountManagerId: IdParam.optional(),
});
export const KeyAccountItem = z.object({
  customerId: z.number().int(),
  accountNo: z.string(),
  name: z.string(),
  customerClass: z.string(),
  important: z.boolean(),
  annualKwh: z.number(),
  share: z.number(),
  cumulativeShare: z.number(),
  rank: z.number().int(),
  accountManagerId: z.number().int().nullable(),
  accountManagerName: z.string().nullable(),
});
export const KeyAccounts = z.object({
  /** null when no consumption has been imported yet. */
  year: z.number().int().nullable(),
  years: z.array(z.number().int()),
  top: z.number().int(),
  totalKwh: z.number(),
  topKwh: z.number(),
  topShare: z.number(),
  customers: z.number().int(),
  items: z.array(KeyAccountItem),
});
export type KeyAccounts = z.infer<typeof KeyAccounts>;

/** settings key `customers.keyAccounts`: how many of the largest are key accounts. */
export const KeyAccountSettings = z.strictObject({ top: z.number().int().min(1).max(1000) });
export type KeyAccountSettings = z.infer<typeof KeyAccountSettings>;

export const AccountManagers = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), phone: z.string().nullable(), unitName: z.string(), accounts: z.number().int() })),
});

export const Desk = z.object({
  user: z.object({ id: z.number().int(), name: z.string() }),
  year: z.number().int(),
  counts: z.object({
    accounts: z.number().int(),
    openDemands: z.number().int(),
    openApplications: z.number().int(),
    lateApplications: z.number().int(),
    actionsDue: z.number().int(),
  }),
  accounts: z.array(
    z.object({
      customerId: z.number().int(),
      accountNo: z.string(),
      name: z.string(),
      customerClass: z.string(),
      important: z.boolean(),
      keyAccount: z.boolean(),
      keyAccountRank: z.number().int().nullable(),
      yearKwh: z.number(),
      openDemands: z.number().int(),
      openApplications: z.number().int(),
    }),
  ),
  demands: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      type: z.string(),
      category: z.string().nullable(),
      status: z.string(),
      customerId: z.number().int(),
      customerName: z.string(),
      accountNo: z.string(),
      createdAt: z.string(),
      /** The earliest open time limit of the demand. */
      dueAt: z.string().nullable(),
    }),
  ),
  applications: z.array(
    z.object({
      id: z.number().int(),
      number: z.string(),
      customerId: z.number().int(),
      customerName: z.string(),
      stage: z.string().nullable(),
      stageDueAt: z.string().nullable(),
      late: z.boolean(),
    }),
  ),
  actions: z.array(
    z.object({
      id: z.number().int(),
      text: z.string(),
      dueOn: z.string(),
      overdue: z.boolean(),
      customerId: z.number().int().nullable(),
      customerName: z.string().nullable(),
      planId: z.number().int().nullable(),
      activityId: z.number().int().nullable(),
    }),
  ),
});
export type Desk = z.infer<typeof Desk>;
