import { z } from 'zod';
import { ROLES } from '../codes.js';
import { NAV_AREAS } from '../nav.js';
import { Id, IsoTime, Text } from './common.js';
import { Password, UserView } from './org.js';

/**
 * What a role may be granted, by name: the policy (src/server/platform/policy.ts)
 * grants them to roles and checks them on every call; GET /api/me lists the
 * caller's, so the web offers only what the server would allow.
 */
export const ACTIONS = [
  'org.read', // see units and colleagues
  'unit.manage',
  'user.read',
  'user.manage',
  'token.manage',
  'audit.read',
  'demand.read',
  'demand.create', // register a demand, answer it on the call
  'demand.dispatch', // send work orders
  'demand.callback',
  'demand.escalate',
  'work_order.handle', // accept, arrive, handle, return the unit's orders
  'customer.read',
  'settings.manage', // business calendar, time limits, category routing
  'consultation.read', // the expert seat's consultations, record form and figures
  'consultation.forward', // forward a question to an expert, record the answer and the callback
  'consultation.answer', // acknowledge, call the customer, reply (the expert it is assigned to)
  'expert.manage', // the expert pool: anyone's topics, hours, availability, leadership
  'expert.profile', // one's own topics, hours and availability
  'problem.file', // common problems for the monthly meeting
  'problem.manage', // mark them discussed, with the meeting's note
  'training.log', // experts' training sessions for agents
  'article.read', // published knowledge
  'article.edit', // draft, revise, submit (知识库运维小组 editors)
  'article.review', // approve or reject, read drafts
  'demand.verdict', // mark a complaint unfounded (不属实) after verification, or founded again
  'demand.urge', // 催办: urge a case's open work orders; the supervision page
  'demand.reassign', // 改派: withdraw a case's open orders and send it to another unit
  'demand.unlink', // take a call out of the case it joined, with the reason
  'transfer.read', // the monthly transfer batches (a department's handlers: their own items)
  'transfer.manage', // make a month's batch by hand (the scheduler makes it on the first working day)
  'transfer.answer', // answer an item raised to one's department
  'meeting.read', // consultation meetings, their packs and action items
  'meeting.manage', // open a meeting, assemble its pack, record its action items
  'action_item.update', // progress on an action item one's unit owns
  'suggestion.file', // the front line's suggestions for the next meeting
  'evaluation.read', // the evaluation (a unit's handlers: their own row)
  'evaluation.manage', // enter service events, criticisms and praises; compute and publish a quarter
  'outage.read', // outages, the customers they cut, the suspected ones
  'outage.manage', // announce, update, restore or cancel an outage of one's units; declare a suspected one
  'message.read', // the outbox: the messages to customers and their delivery
  'demand.progress', // progress messages for a long-running demand
  'customer.messaging', // record how a customer is told (SMS or e-mail) and their opt-out of non-essential messages
  'customer.manage', // contact persons, account managers (客户经理), consumption imports
  'application.read', // green-channel applications (业扩) and their stages
  'application.manage', // register an application, complete a stage (a unit's handlers: the stages their unit owns)
  'plan.manage', // differentiated service plans (差异化服务计划) and their actions
  'activity.log', // log visits, forums and open days (客户沟通) with their follow-ups
  'demand.hand_over', // 首问负责制: hand a demand one owns over to a colleague by name, with the reason
  'report.read', // the reports, hot issues, satisfaction and dashboards (a unit's handlers: their own units)
  'report.manage', // import the satisfaction surveys, edit the hot issues' stop words
  'staff.read', // staff figures: one's own month (a team lead: their team's; the centre's managers and analysts: everyone's)
] as const;
export type Action = (typeof ACTIONS)[number];

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({ user: UserView });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({
  user: UserView.extend({ unitName: z.string() }),
  navAreas: z.array(z.enum(NAV_AREAS)),
  /** The actions the caller may take, from the server's policy; the web offers what is here and nothing else. */
  can: z
    .array(z.enum(ACTIONS))
    .describe(
      "The actions the caller may take, sorted by name: exactly those the server's policy allows the caller's roles (a scoped API token's roles only). A request that needs an action not listed here answers 403.",
    ),
  /** The caller's work spans their bureau (the 95598 centre's roles): every unit's rows, any unit's action items. */
  cityWide: z
    .boolean()
    .describe(
      "Whether the caller's roles span their bureau's whole tree (the 95598 centre's roles): the management loop shows them every unit's rows and takes progress on any unit's action items. False: their own unit and the units below it.",
    ),
  via: z.enum(['session', 'token', 'cli']),
  /** The company's time zone (IANA, SUQIU_TIME_ZONE): the web shows every date and time in it, whatever the browser's. */
  timeZone: z.string(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'must not be empty').max(256),
  newPassword: Password,
});

export const CreateTokenBody = z.strictObject({
  userId: Id,
  name: Text(100),
  expiresAt: IsoTime.nullable().optional(),
  /** The roles the token acts with, some of its user's; absent: all of them. */
  roles: z
    .array(z.enum(ROLES))
    .min(1, 'must hold at least one role')
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
    .optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const ApiToken = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  username: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The roles it acts with; null: all of its user's. */
  roles: z.array(z.enum(ROLES)).nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The token's secret is shown once, at creation. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

/**
 * GET|PUT /api/settings/password-policy: what a new password must be. Its
 * strength is zxcvbn's score (0 too guessable … 4 very unguessable), which
 * also refuses the common passwords of its lists and ones made of the user's
 * own name; 2 by default.
 */
export const PasswordPolicy = z.strictObject({
  minLength: z.number().int().min(8, 'must be at least 8').max(64, 'must be at most 64'),
  minStrength: z.number().int().min(0, 'must be 0 to 4').max(4, 'must be 0 to 4'),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;
