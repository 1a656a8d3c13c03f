/**
 * Time is injected everywhere it matters (intervals, leases, budgets), so tests
 * move a fake clock instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class FakeClock implements Clock {
  private ms: number;
  constructor(start: Date | string | number = '2026-01-01T00:00:00Z') {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(t: Date | string | number): void {
    this.ms = new Date(t).getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** ISO-8601 in UTC without milliseconds, the form written into files. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** YYYY-MM-DD in local time: the day budgets and log files roll over on. */
export function localDay(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}
