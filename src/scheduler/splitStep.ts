import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { sendMessage } from '../messages/send.js';
import { settleSplitParents } from '../tasks/splitSettle.js';
import type { TickLog } from './log.js';

/**
 * Finish split parents whose children have ended (tasks/splitSettle.ts):
 * merged ones release their dependents; a failed one is reported once, as a
 * failed task is. Never throws: the fleet goes on, and the next tick retries.
 */
export async function splitStep(layout: Layout, options: { clock: Clock; log: TickLog }): Promise<void> {
  try {
    for (const s of await settleSplitParents(layout, { clock: options.clock })) {
      if (s.outcome === 'merged') {
        options.log.info(`${s.id} merged: every child is (${s.children.join(', ')})`);
        continue;
      }
      options.log.info(`${s.id} failed: child ${s.reason}`);
      await sendMessage(
        layout,
        {
          type: 'error',
          title: `${s.id} failed: its child ${s.child} did not finish`,
          body: `${s.id} (${s.title}) was split, and its child ${s.reason}. Without it the task cannot be done, so it is in failed/ with every child's handoff in its file.\n\nRetry the child with \`tickfleet retry-failed ${s.child}\` and then the task itself with \`tickfleet retry-failed ${s.id}\` (it starts afresh and may split again), or cancel what is left.`,
          from: 'tickfleet',
          task: s.id,
          dedupeKey: `split-failed:${s.id}:${s.child}`,
        },
        { clock: options.clock },
      );
    }
  } catch (err) {
    options.log.info(`split parents not settled: ${(err as Error).message}`);
  }
}
