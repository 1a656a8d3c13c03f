import { setFlagsFromString } from 'node:v8';

/** V8's own default (`node --v8-options`), put back afterwards. */
const DEFAULT_GROWTH_FACTOR = 2;

/**
 * Run `fn` (synchronous) with V8's young generation kept at the size it has.
 * Reading a folder of 10,000 task files makes short-lived garbage fast enough
 * that V8 grows the young generation to its largest, and a process never
 * gives those pages back: a rebuild of a lost queue index took queue-status
 * from 74 to 87 MB, for no gain in time. V8 reads the factor each time it
 * would grow the space, so setting it at run time takes effect (the maximum
 * size, `--max-semi-space-size`, does not: it is fixed when the heap is made).
 * Set for the whole process meanwhile: `fn` must not wait on anything.
 */
export function withoutYoungGrowth<T>(fn: () => T): T {
  setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return fn();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  }
}
