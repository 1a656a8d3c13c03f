import { describe, expect, it } from 'vitest';
import { blockersFrom } from '../src/tasks/blockers.js';
import { compareClaimOrder, inLanes } from '../src/tasks/order.js';
import { applyLine, type Entry, emptyModel, type IndexModel, TOUCHED_MAX } from '../src/tasks/queueIndex/model.js';
import { bestCandidate } from '../src/tasks/queueIndex/view.js';
import type { TaskSummary } from '../src/tasks/scan.js';

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NOW = new Date('2026-06-01T00:00:00Z');
const noneDone = blockersFrom(() => undefined);

function summary(rnd: () => number, id: string): TaskSummary {
  return {
    id,
    role: rnd() < 0.7 ? 'implement' : 'test',
    priority: `P${Math.floor(rnd() * 4)}` as TaskSummary['priority'],
    expedite: rnd() < 0.1,
    created: new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 50) * 60_000).toISOString(),
    blocked_by: rnd() < 0.1 ? ['TASK-never'] : [],
    ...(rnd() < 0.3 ? { lane: rnd() < 0.5 ? 'api' : 'db' } : {}),
    ...(rnd() < 0.05 ? { not_before: '2027-01-01T00:00:00Z' } : {}),
  };
}

/** What the order must agree with: every incoming entry looked at, the least in claim order kept. */
function bruteForce(
  model: IndexModel,
  role: string,
  lanes: string[] | undefined,
  skip: Set<string>,
): string | undefined {
  let best: TaskSummary | undefined;
  let name: string | undefined;
  for (const [n, e] of model.folders.incoming.files) {
    const s = e.s;
    if (!s || s.role !== role || skip.has(n) || !inLanes(s, lanes)) continue;
    if (s.blocked_by.length > 0 || s.not_before !== undefined) continue;
    if (best && compareClaimOrder(s, best) >= 0) continue;
    best = s;
    name = n;
  }
  return name;
}

function put(model: IndexModel, name: string, e: Entry | null): void {
  const f = model.folders.incoming;
  applyLine(model, { d: 'incoming', pre: f.sign, post: `${f.sign}+`, at: 0, n: name, e });
}

describe('claim order kept from the changed names', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`agrees with a look at every entry through adds, edits, removals and claims (seed ${seed})`, () => {
      const rnd = random(seed);
      const model = emptyModel('g', true);
      let next = 0;
      const live = () => [...model.folders.incoming.files.keys()];
      for (let step = 0; step < 8000; step++) {
        const r = rnd();
        if (r < 0.45 || live().length === 0) {
          const name = `TASK-${(next++).toString(16).padStart(8, '0')}.md`;
          put(model, name, { k: `k${step}`, s: summary(rnd, name.slice(0, -3)) });
        } else if (r < 0.6) {
          // An edit in place: the same name, a new entry (perhaps another role or priority).
          const names = live();
          const name = names[Math.floor(rnd() * names.length)]!;
          put(model, name, { k: `k${step}`, s: summary(rnd, name.slice(0, -3)) });
        } else if (r < 0.65) {
          const names = live();
          const name = names[Math.floor(rnd() * names.length)]!;
          put(model, name, rnd() < 0.5 ? { k: `k${step}` } : { k: `k${step}`, bad: 'unreadable' });
        } else if (r < 0.75) {
          const names = live();
          put(model, names[Math.floor(rnd() * names.length)]!, null);
        } else {
          // A claim: the first in order leaves the folder, as claimNext's move does.
          const role = rnd() < 0.7 ? 'implement' : 'test';
          const lanes = rnd() < 0.2 ? ['api'] : undefined;
          const skip = new Set(rnd() < 0.2 ? live().slice(0, 3) : []);
          const expected = bruteForce(model, role, lanes, skip);
          const got = bestCandidate(model, role, lanes, noneDone, NOW, skip);
          expect(got?.name, `step ${step}`).toBe(expected);
          if (got) put(model, got.name, null);
        }
      }
      const f = model.folders.incoming;
      expect(f.unknown).toBe([...f.files.values()].filter((e) => !e.s && e.bad === undefined).length);
      expect(f.bad).toBe([...f.files.values()].filter((e) => e.bad !== undefined).length);
      // Long enough for the change log to have started again at least once.
      expect(f.epoch).toBeGreaterThan(0);
      expect(f.touched.length).toBeLessThanOrEqual(TOUCHED_MAX);
    });
  }
});
