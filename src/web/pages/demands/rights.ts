import type { Action } from '../../../shared/schemas/auth.js';
import { useMe } from '../../session/SessionProvider.js';

// Which buttons the user is offered: each is the action its request needs, as
// GET /api/me's `can` lists them from the server's policy, so a page offers
// nothing the server would refuse. The API still checks every call.

export interface DemandRights {
  /** Register demands and answer them on the call. */
  register: boolean;
  dispatch: boolean;
  callback: boolean;
  escalate: boolean;
  /** Accept, arrive, handle and return the unit's work orders. */
  handleOrders: boolean;
  /** 班长督办: the escalated and overdue cases, urged and reassigned in bulk. */
  supervise: boolean;
  /** 核实定性: mark a complaint unfounded (不属实) or founded after verification. */
  verdict: boolean;
  /** File a suggestion for the next consultation meeting. */
  suggest: boolean;
  /** Take a call out of the case it joined (解除关联), with the reason. */
  unlink: boolean;
  /** 首问负责制: own demands (我的诉求) and hand one over by name; a team lead any demand of the centre. */
  handOver: boolean;
}

/** The rights from the actions the server grants (GET /api/me's `can`). */
export function rightsOf(can: readonly Action[]): DemandRights {
  const has = (action: Action) => can.includes(action);
  return {
    register: has('demand.create'),
    dispatch: has('demand.dispatch'),
    callback: has('demand.callback'),
    escalate: has('demand.escalate'),
    handleOrders: has('work_order.handle'),
    supervise: has('demand.urge'),
    verdict: has('demand.verdict'),
    suggest: has('suggestion.file'),
    unlink: has('demand.unlink'),
    handOver: has('demand.hand_over'),
  };
}

export function useDemandRights(): DemandRights {
  return rightsOf(useMe().can);
}
