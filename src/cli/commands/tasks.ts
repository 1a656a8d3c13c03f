import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { print, printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

/** Commands that move tasks on a person's say-so. */
export function register(program: Command): void {
  program
    .command('cancel')
    .description(
      'cancel an incoming or claimed task (it moves to failed/ and is not retried by retry-failed; a runner working on it stops within seconds and delivers nothing)',
    )
    .argument('<task-id>', 'TASK-xxxxxxxx')
    .option('--reason <text>', 'why', 'cancelled by hand')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { reason: string; json?: boolean }, cmd: Command) => {
      const { cancelTask } = await import('../../tasks/cancel.js');
      const { withLifecycle } = await import('../../tasks/lifecycle.js');
      const task = await cancelTask(initialisedLayout(cmd), id, { reason: opts.reason, by: currentActor().name });
      if (opts.json) return printJson(withLifecycle(task));
      print(`${task.id} cancelled (now in failed/): ${task.title}`);
    });

  program
    .command('retry-failed')
    .description('send failed tasks back to incoming with their attempts reset (all, or the ids given)')
    .argument('[task-ids...]', 'TASK-xxxxxxxx ids; none = every failed task that was not cancelled')
    .option('--include-cancelled', 'with no ids: also retry cancelled tasks')
    .option('--json', 'machine-readable output')
    .action(async (ids: string[], opts: { includeCancelled?: boolean; json?: boolean }, cmd: Command) => {
      const { retryFailed, retryTask } = await import('../../tasks/retry.js');
      const { withLifecycle } = await import('../../tasks/lifecycle.js');
      const layout = initialisedLayout(cmd);
      const tasks = [];
      if (ids.length > 0) for (const id of ids) tasks.push(await retryTask(layout, id));
      else tasks.push(...(await retryFailed(layout, { includeCancelled: opts.includeCancelled === true })));
      if (opts.json) return printJson(tasks.map(withLifecycle));
      if (tasks.length === 0) return print('no failed tasks to retry');
      for (const t of tasks) print(`${t.id} back in incoming: ${t.title}`);
    });

  program
    .command('show')
    .description(
      'print one task file, wherever it is in the queue, with its lifecycle (queued, working, in review, changes requested, approved, merging, merged, finished, failed, cancelled)',
    )
    .argument('<task-id>', 'TASK-xxxxxxxx')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const { findTask } = await import('../../tasks/list.js');
      const { lifecycleLabel, taskLifecycle, withLifecycle } = await import('../../tasks/lifecycle.js');
      const { readFile } = await import('node:fs/promises');
      const { taskTree, treeLines } = await import('../../tasks/tree.js');
      const layout = initialisedLayout(cmd);
      const task = await findTask(layout, id);
      const tree = await taskTree(layout, id);
      if (opts.json) return printJson({ ...withLifecycle(task), tree });
      print(
        `# ${task.state}/${task.id}.md · ${lifecycleLabel(taskLifecycle(task))}${task.stage_at ? ` since ${task.stage_at}` : ''}`,
      );
      process.stdout.write(await readFile(task.file, 'utf8'));
      const lines = treeLines(tree);
      if (lines.length > 0) print(['', '# tree (split parents and children)', ...lines].join('\n'));
    });
}
