import type { Channel, DemandCategory, DemandType } from '../../../shared/codes.js';
import type { CreateDemandBody, CustomerMatch } from '../../api/demands.js';
import type { PRIORITIES } from './codes.js';
import { placeIds } from './FaultPlace.js';

// The registration form's plain parts: its values, the body they make, and
// how the focus moves on a call taken from the keyboard.

export interface IntakeValues {
  channel: Channel;
  type: DemandType;
  category: DemandCategory;
  subcategory?: string;
  priority?: (typeof PRIORITIES)[number];
  sensitive: boolean;
  /** Named as in the API's body, so that the server's issue on `body.customer.phone` lands on its field. */
  customer: { phone: string; name?: string };
  content: string;
  /** A fault repair: where, as the caller says it, and its 台区 or feeder (`district:12`). */
  faultAddress?: string;
  place?: string;
}

export const PHONE = /^[0-9+\-() ]{3,32}$/;

/** A number the case preview is asked for: a whole one, not the start of one being typed. */
export function previewablePhone(text: string | undefined): string | undefined {
  const value = text?.trim() ?? '';
  return PHONE.test(value) && value.replace(/\D/g, '').length >= 7 ? value : undefined;
}

/** The API's body for what the form holds: the picked customer's 户号, the articles cited, a repair's place. */
export function demandBody(values: IntakeValues, picked: CustomerMatch | null, cited: readonly number[]): CreateDemandBody {
  const name = values.customer.name?.trim();
  const address = values.faultAddress?.trim();
  return {
    channel: values.channel,
    type: values.type,
    category: values.category,
    ...(values.subcategory && { subcategory: values.subcategory }),
    customer: { ...(picked && { accountNo: picked.accountNo }), ...(name && { name }), phone: values.customer.phone.trim() },
    content: values.content.trim(),
    ...(values.priority && { priority: values.priority }),
    ...(values.sensitive && { sensitive: true }),
    ...(cited.length > 0 && { articleIds: [...cited] }),
    ...(values.type === 'fault_repair' && { ...(address && { faultAddress: address }), ...placeIds(values.place) }),
  };
}

export type FocusTarget = { focus: () => void } | null;

/**
 * After a choice is made the next field takes the focus at once, so that the
 * keys typed next land there, however fast; and again once the drop-down has
 * closed, should the drop-down have taken it back.
 */
export function focusNext(target: () => FocusTarget): void {
  target()?.focus();
  const holder = document.activeElement;
  setTimeout(() => {
    if (document.activeElement !== holder) target()?.focus();
  }, 0);
}
