// How the benchmarks print: one figure a line, the target and its verdict beside it.

export const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
export const section = (title: string) => process.stdout.write(`\n== ${title}\n`);
export const ms = (value: number | null) => (value === null || !Number.isFinite(value) ? '— ms' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`);

export interface Verdict {
  what: string;
  met: boolean;
}
/** Every target of the run, for the summary at the end. */
export const verdicts: Verdict[] = [];

/** A figure with its target: `12.3 ms   (target < 20 ms: met)`. */
export function target(label: string, value: string, goal: string, met: boolean): void {
  line(label, `${value.padEnd(12)} target ${goal}: ${met ? 'met' : 'MISSED'}`);
  verdicts.push({ what: `${label.trim()} (${goal})`, met });
}
