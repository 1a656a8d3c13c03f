import type { Timers } from '../../src/watch/timers.js';

/** Timers the test fires by hand, recording the delays asked for. */
export function manualTimers(): Timers & { fire(): void; delays: number[]; pending(): number } {
  const due = new Map<number, () => void>();
  const delays: number[] = [];
  let next = 0;
  return {
    delays,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      due.set(++next, fn);
      return next;
    },
    clearTimeout: (h) => void due.delete(h as number),
    fire: () => {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
    pending: () => due.size,
  };
}
