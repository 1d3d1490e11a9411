import type { DemandType } from './codes.js';

// A work order's states and the steps between them, in one place: the server
// refuses a step with the reason (demands/work-orders.ts), and the handler's
// queue offers only the steps this says may be taken.

export const WORK_ORDER_STATUSES = ['dispatched', 'accepted', 'arrived', 'handled', 'returned', 'closed'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** Still with the unit: sent, taken, or the crew on site. */
export const OPEN_ORDER_STATUSES = ['dispatched', 'accepted', 'arrived'] as const satisfies readonly WorkOrderStatus[];

export const isOpenOrder = (status: string): boolean => (OPEN_ORDER_STATUSES as readonly string[]).includes(status);

export type WorkOrderAction = 'accept' | 'arrive' | 'handle' | 'return';
export const WORK_ORDER_ACTIONS = ['accept', 'arrive', 'handle', 'return'] as const satisfies readonly WorkOrderAction[];

/** The status an action moves a work order to, or why it may not. */
export function workOrderTransition(status: WorkOrderStatus, action: WorkOrderAction, demandType: DemandType): WorkOrderStatus | { refused: string } {
  switch (action) {
    case 'accept':
      return status === 'dispatched' ? 'accepted' : { refused: `a ${status} order cannot be accepted` };
    case 'arrive':
      if (demandType !== 'fault_repair') return { refused: 'only repair orders record the crew’s arrival' };
      return status === 'accepted' ? 'arrived' : { refused: `a ${status} order cannot record an arrival; accept it first` };
    case 'handle':
      if (demandType === 'fault_repair' && status !== 'arrived') return { refused: 'a repair order is handled after the crew’s arrival' };
      return status === 'accepted' || status === 'arrived' ? 'handled' : { refused: `a ${status} order cannot be handled` };
    case 'return':
      return status === 'dispatched' || status === 'accepted' ? 'returned' : { refused: `a ${status} order cannot be returned as misrouted` };
  }
}

const isStatus = (status: string): status is WorkOrderStatus => (WORK_ORDER_STATUSES as readonly string[]).includes(status);

/** The steps a work order may take next, in the order a handler takes them (none for a status it does not know). */
export function nextOrderActions(status: string, demandType: DemandType): WorkOrderAction[] {
  if (!isStatus(status)) return [];
  return WORK_ORDER_ACTIONS.filter((action) => typeof workOrderTransition(status, action, demandType) === 'string');
}
