import type { Stacked, TakenOut } from './stack.js';
import type { QueueEntry } from './state.js';
import type { TestVerdict } from './testAt.js';

export interface BisectIo {
  /** Run the test command on a stack's tip. */
  test(tip: string, label: string): Promise<TestVerdict>;
  /** Stack `entries` again onto `onto` (after a culprit was taken out from under them). */
  restack(onto: string, entries: QueueEntry[]): Promise<{ stacked: Stacked[]; takenOut: TakenOut[] }>;
}

export interface Culprit {
  stacked: Stacked;
  /** The red run that named it: the first red prefix ends with it. */
  verdict: TestVerdict;
}

export interface BisectResult {
  /** Branches that pass together, in order; `greenTip` is their stack (`onto` when none). */
  good: Stacked[];
  greenTip: string;
  culprits: Culprit[];
  /** Branches that no longer stacked once a culprit was taken out from under them. */
  takenOut: TakenOut[];
}

/**
 * Find the culprits of a red stack on a green base. The stack's prefixes
 * are tested by binary search for the first red one (its last branch is a
 * culprit; the prefix before it is green). The branches after the culprit
 * are stacked again onto that green prefix and tested once: green, they
 * land with it; red, the search goes on among them. One culprit in n
 * branches costs about log2(n) runs, plus one for the branches after it.
 */
export async function bisect(
  onto: string,
  red: Stacked[],
  redVerdict: TestVerdict,
  io: BisectIo,
): Promise<BisectResult> {
  const result: BisectResult = { good: [], greenTip: onto, culprits: [], takenOut: [] };
  let rest = red;
  let restVerdict = redVerdict;
  for (let round = 1; rest.length > 0; round++) {
    // Known: the empty prefix (greenTip) is green, the whole of `rest` is red.
    let lo = 0;
    let hi = rest.length;
    let hiVerdict = restVerdict;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const verdict = await io.test(rest[mid - 1]!.tip, `bisect-${round}-${mid}of${rest.length}`);
      if (verdict.green) lo = mid;
      else {
        hi = mid;
        hiVerdict = verdict;
      }
    }
    result.good.push(...rest.slice(0, lo));
    if (lo > 0) result.greenTip = rest[lo - 1]!.tip;
    result.culprits.push({ stacked: rest[lo]!, verdict: hiVerdict });
    const after = rest.slice(lo + 1).map((s) => s.entry);
    if (after.length === 0) break;
    const again = await io.restack(result.greenTip, after);
    result.takenOut.push(...again.takenOut);
    if (again.stacked.length === 0) break;
    const tip = again.stacked[again.stacked.length - 1]!.tip;
    const verdict = await io.test(tip, `bisect-${round}-rest`);
    if (verdict.green) {
      result.good.push(...again.stacked);
      result.greenTip = tip;
      break;
    }
    rest = again.stacked;
    restVerdict = verdict;
  }
  return result;
}
