import type { DemandDetail } from '../../api/demands.js';

/** What every action dialog of the demand page gets: the demand as displayed, and the page's conflict guard. */
export interface ActionModalProps {
  demand: DemandDetail;
  open: boolean;
  onClose: () => void;
  /** After the change: ok false when it met a conflict (the page shows it); the message is for success. */
  onDone: (ok: boolean, message: string) => void;
  guard: (change: () => Promise<unknown>) => Promise<boolean>;
}
