import type { Role } from '../../shared/codes.js';
import { ACTIONS, type Action } from '../../shared/schemas/auth.js';
import { AppError } from './errors.js';

// Authorisation in one place: a role grants actions; the unit bounds the data.

// The actions' names are shared with the web (GET /api/me lists the caller's);
// which role is granted which is decided here only.
export { ACTIONS, type Action };

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
    'outage.read',
    'message.read',
    'customer.messaging',
    'application.read',
    'demand.hand_over',
    'staff.read',
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
    'outage.read',
    'outage.manage',
    'message.read',
    'demand.progress',
    'customer.messaging',
    'application.read',
    'plan.manage',
    'activity.log',
    'demand.hand_over',
    'report.read',
    'staff.read',
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
    'outage.read',
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
    'outage.read',
    'outage.manage',
    'message.read',
    'demand.progress',
    'application.read',
    'application.manage',
    'report.read',
    'staff.read',
  ],
  kb_editor: ['org.read', 'user.read', 'article.read', 'article.edit'],
  kb_reviewer: ['org.read', 'user.read', 'article.read', 'article.review'],
  account_manager: [
    'org.read',
    'user.read',
    'demand.read',
    'customer.read',
    'article.read',
    'outage.read',
    'message.read',
    'customer.messaging',
    'customer.manage',
    'application.read',
    'application.manage',
    'plan.manage',
    'activity.log',
  ],
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
    'outage.read',
    'message.read',
    'report.read',
    'report.manage',
    'staff.read',
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
    'outage.read',
    'message.read',
    'customer.manage',
    'application.read',
    'plan.manage',
    'activity.log',
    'report.read',
    'staff.read',
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

/**
 * Every action `can` allows the actor, sorted by name: GET /api/me sends it
 * (`can`), so the web offers only what this policy would allow. A scoped API
 * token's actor carries only the roles it names, so it gets the narrower list.
 */
export function actionsOf(actor: Pick<Actor, 'roles'>): Action[] {
  return ACTIONS.filter((action) => can(actor, action)).sort();
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
