import type { Role } from '../../shared/codes.js';
import { AppError } from './errors.js';

// Authorisation in one place: a role grants actions; the unit bounds the data.

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
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, readonly Action[]> = {
  admin: ['org.read', 'unit.manage', 'user.read', 'user.manage', 'token.manage', 'audit.read', 'settings.manage', 'expert.manage'],
  agent: [
    'org.read',
    'user.read',
    'demand.read',
    'demand.create',
    'demand.dispatch',
    'demand.callback',
    'demand.escalate',
    'demand.unlink',
    'customer.read',
    'consultation.read',
    'consultation.forward',
    'article.read',
    'suggestion.file',
  ],
  team_lead: [
    'org.read',
    'user.read',
    'audit.read',
    'demand.read',
    'demand.create',
    'demand.dispatch',
    'demand.callback',
    'demand.escalate',
    'demand.urge',
    'demand.reassign',
    'demand.unlink',
    'customer.read',
    'consultation.read',
    'consultation.forward',
    'expert.manage',
    'problem.manage',
    'training.log',
    'article.read',
    'demand.verdict',
    'transfer.read',
    'meeting.read',
    'suggestion.file',
    'evaluation.read',
  ],
  expert: [
    'org.read',
    'user.read',
    'demand.read',
    'consultation.read',
    'consultation.answer',
    'expert.profile',
    'problem.file',
    'training.log',
    'article.read',
    'meeting.read',
    'suggestion.file',
  ],
  handler: [
    'org.read',
    'user.read',
    'demand.read',
    'demand.escalate',
    'work_order.handle',
    'customer.read',
    'article.read',
    'transfer.read',
    'transfer.answer',
    'meeting.read',
    'action_item.update',
    'suggestion.file',
    'evaluation.read',
  ],
  kb_editor: ['org.read', 'user.read', 'article.read', 'article.edit'],
  kb_reviewer: ['org.read', 'user.read', 'article.read', 'article.review'],
  account_manager: ['org.read', 'user.read', 'demand.read', 'customer.read', 'article.read'],
  analyst: [
    'org.read',
    'user.read',
    'audit.read',
    'demand.read',
    'consultation.read',
    'problem.manage',
    'article.read',
    'demand.verdict',
    'transfer.read',
    'transfer.manage',
    'meeting.read',
    'meeting.manage',
    'action_item.update',
    'evaluation.read',
    'evaluation.manage',
  ],
  centre_manager: [
    'org.read',
    'user.read',
    'audit.read',
    'demand.read',
    'demand.escalate',
    'demand.urge',
    'demand.reassign',
    'customer.read',
    'consultation.read',
    'article.read',
    'transfer.read',
    'meeting.read',
    'evaluation.read',
  ],
};

/**
 * Roles whose work spans the whole city: the 95598 centre serves every unit, so
 * its agents, leads, analysts and the knowledge group see the bureau's whole tree.
 * The others (unit handlers, experts) see their unit and the units below it.
 */
const CITY_WIDE_ROLES: ReadonlySet<Role> = new Set(['admin', 'agent', 'team_lead', 'analyst', 'centre_manager', 'kb_editor', 'kb_reviewer', 'account_manager']);

export interface Actor {
  userId: number;
  username: string;
  name: string;
  roles: Role[];
  unitId: number;
  /** How they came: a browser session, an integration's token, or the command line (and the demo seed). */
  via: 'session' | 'token' | 'cli';
}

export function can(actor: Pick<Actor, 'roles'>, action: Action): boolean {
  return actor.roles.some((role) => GRANTS[role]?.includes(action));
}

export function authorize(actor: Pick<Actor, 'roles'>, action: Action): void {
  if (!can(actor, action)) throw new AppError('forbidden', `your role may not ${action.replace('.', ' ')}`);
}

/** Allowed when the role may do any one of the actions. */
export function authorizeAny(actor: Pick<Actor, 'roles'>, actions: readonly Action[]): void {
  if (!actions.some((action) => can(actor, action)))
    throw new AppError('forbidden', `your role may not ${actions.map((a) => a.replace('.', ' ')).join(' or ')}`);
}

export function isCityWide(roles: readonly Role[]): boolean {
  return roles.some((role) => CITY_WIDE_ROLES.has(role));
}
