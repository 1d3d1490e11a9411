// What other modules call of demands, besides its actions (actions.ts,
// intake.ts, read.ts): the timeline, which the expert seat and the scheduler
// write on, and the day's demand number, which the demo data takes.
export { addTimeline, nextDemandSequence, type TimelineEntry } from './repository.js';
