import type { Role } from '../../../shared/codes.js';
import { useMe } from '../../session/SessionProvider.js';

// Which buttons a role is offered. This mirrors the server's grants only to keep
// pages free of actions that would be refused; the API still checks every call.

const has = (roles: readonly Role[], ...wanted: Role[]) => wanted.some((role) => roles.includes(role));

export interface DemandRights {
  /** Register demands and answer them on the call. */
  register: boolean;
  dispatch: boolean;
  callback: boolean;
  escalate: boolean;
  /** Accept, arrive, handle and return the unit's work orders. */
  handleOrders: boolean;
  /** 班长督办: the escalated and overdue cases, urged and reassigned in bulk (team lead and centre manager, as the server grants). */
  supervise: boolean;
  /** 核实定性: mark a complaint unfounded (不属实) or founded after verification. */
  verdict: boolean;
  /** File a suggestion for the next consultation meeting. */
  suggest: boolean;
  /** Take a call out of the case it joined (解除关联), with the reason. */
  unlink: boolean;
}

export function rightsOf(roles: readonly Role[]): DemandRights {
  const centre = has(roles, 'agent', 'team_lead');
  return {
    register: centre,
    dispatch: centre,
    callback: centre,
    escalate: centre || has(roles, 'handler'),
    handleOrders: has(roles, 'handler'),
    supervise: has(roles, 'team_lead', 'centre_manager'),
    verdict: has(roles, 'team_lead', 'analyst'),
    suggest: has(roles, 'agent', 'team_lead', 'handler', 'expert'),
    unlink: centre,
  };
}

export function useDemandRights(): DemandRights {
  return rightsOf(useMe().user.roles);
}
