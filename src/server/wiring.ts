import { whenDemandCloses } from './modules/demands/closing.js';
import { useOutages } from './modules/demands/outage-calls.js';
import { withdrawQuestionsOfClosedDemand } from './modules/experts/service.js';
import { outagePortImpl } from './modules/outages/port.js';

// What the modules ask of each other without importing each other back,
// wired once per process: by the app (app.ts) and by the database's
// preparation (prepare.ts), whose demo seed registers calls.

export function wireModules(): void {
  // A closing demand withdraws its questions still with experts (demands/closing.ts).
  whenDemandCloses(withdrawQuestionsOfClosedDemand);
  // The intake links a call to the outage over its caller (demands/outage-calls.ts).
  useOutages(outagePortImpl);
}
