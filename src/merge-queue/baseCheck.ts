import { isoSeconds } from '../core/clock.js';
import type { QueueContext } from './context.js';
import { clearScratch, freshScratch } from './scratch.js';
import { updateQueueState } from './state.js';
import { type TestVerdict, testAt } from './testAt.js';

/**
 * The base tested alone while a red base holds the queue (it moved: maybe
 * fixed). In flight like a batch without branches, so a kill meanwhile is
 * recovered the same way.
 */
export async function testBase(ctx: QueueContext, base: string, sha: string): Promise<TestVerdict> {
  const id = `MQ-${isoSeconds(ctx.clock.now()).replace(/[-:]/g, '')}-base`;
  await updateQueueState(ctx.layout, (s) => {
    s.in_flight = {
      id,
      base,
      base_sha: sha,
      entries: [],
      started_at: isoSeconds(ctx.clock.now()),
      owner: ctx.owner,
      test_runs: 0,
    };
  });
  const scratch = await freshScratch(ctx.layout, sha);
  try {
    return await testAt(ctx, scratch, sha, 'base', id);
  } finally {
    await clearScratch(ctx.layout);
    await updateQueueState(ctx.layout, (s) => {
      if (s.in_flight?.id === id) delete s.in_flight;
    });
  }
}
