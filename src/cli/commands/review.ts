import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import type { ReviewState } from '../../review/record.js';
import type { Task } from '../../tasks/task.js';
import { dim, green, print, printJson, table, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

const STATES = ['pending', 'approved', 'merged', 'rejected'] as const;

/** `tickfleet review`: the local review queue (review back end `local`). */
export function register(program: Command): void {
  const review = program
    .command('review')
    .description('branches waiting for review (review back end local): list, approve (merges), reject (reworks)');

  review
    .command('list', { isDefault: true })
    .description('list reviews (pending by default)')
    .option('--state <state>', `${STATES.join(', ')} or all`, 'pending')
    .option('--json', 'machine-readable output')
    .action(async (opts: { state: string; json?: boolean }, cmd: Command) => {
      if (opts.state !== 'all' && !STATES.includes(opts.state as ReviewState))
        throw new UsageError(`--state must be one of ${STATES.join(', ')}, all; got ${opts.state}`);
      const { listReviews } = await import('../../review/byHand.js');
      const records = await listReviews(
        initialisedLayout(cmd),
        opts.state === 'all' ? undefined : (opts.state as ReviewState),
      );
      if (opts.json) return printJson(records.map((r) => ({ ...r.meta, state: r.state, file: r.file })));
      if (records.length === 0) return print(dim(`no ${opts.state === 'all' ? '' : `${opts.state} `}reviews`));
      print(
        table(
          records.map((r) => [
            r.meta.id,
            r.state,
            r.meta.branch,
            `→ ${r.meta.base}`,
            r.meta.title,
            r.meta.merge_error ? yellow(`last merge failed: ${r.meta.merge_error}`) : '',
          ]),
        ),
      );
    });

  review
    .command('approve')
    .description(
      'approve a review and put it in the merge queue, then run the queue: its batch is stacked on the base, review.test_command runs on the tip, and the base is fast-forwarded; a culprit or a conflict goes back as a fix task on its branch; while your checkout of the base has uncommitted changes or the base alone fails its tests, it stays approved and waits (the tick lands it once that is resolved)',
    )
    .argument('<id>', 'REV-TASK-xxxxxxxx or TASK-xxxxxxxx')
    .option('--no-merge', 'only mark it approved')
    .option('--no-rework', 'do not create a rework task when the merge fails')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { merge: boolean; rework: boolean; json?: boolean }, cmd: Command) => {
      const { approveReview } = await import('../../merge-queue/approve.js');
      const result = await approveReview(initialisedLayout(cmd), currentActor(), id, {
        merge: opts.merge,
        rework: opts.rework,
      });
      if (opts.json) return printJson(await withReworkLifecycle(result));
      const m = result.merge;
      if (!m) return print(`${result.record.meta.id} approved (not merged)`);
      if (m.merged)
        return print(
          `${green('✓')} ${result.record.meta.id} merged: ${result.record.meta.base} is now ${m.head.slice(0, 12)}`,
        );
      process.exitCode = 1;
      if (result.waiting) return print(yellow(result.waiting));
      if (m.code === 'held')
        return print(yellow(`${result.record.meta.id} is approved and waits in the merge queue: ${m.reason}`));
      print(yellow(`${result.record.meta.id} approved but not merged: ${m.reason}`));
      if (result.rework) print(`rework task ${result.rework.id} created, starting from ${result.record.meta.branch}`);
    });

  review
    .command('reject')
    .description('reject a review; a rework task continues from the same branch')
    .argument('<id>', 'REV-TASK-xxxxxxxx or TASK-xxxxxxxx')
    .requiredOption('--reason <text>', 'what must change')
    .option('--no-rework', 'do not create a rework task')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { reason: string; rework: boolean; json?: boolean }, cmd: Command) => {
      const { rejectReview } = await import('../../review/byHand.js');
      const result = await rejectReview(initialisedLayout(cmd), currentActor(), id, opts.reason, {
        rework: opts.rework,
      });
      if (opts.json) return printJson(await withReworkLifecycle(result));
      print(
        `${result.record.meta.id} rejected${result.rework ? `; rework task ${result.rework.id} continues from ${result.record.meta.branch}` : ''}`,
      );
    });
}

/** A result's rework task, printed with its lifecycle as every task in `--json` is. */
async function withReworkLifecycle<R extends { rework?: Task }>(result: R): Promise<R> {
  if (!result.rework) return result;
  const { withLifecycle } = await import('../../tasks/lifecycle.js');
  return { ...result, rework: withLifecycle(result.rework) };
}
