import type { Command } from 'commander';
import { print, printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

export function register(program: Command): void {
  program
    .command('merge-queue')
    .description(
      'the merge queue (review back end local): approved branches waiting, the batch in flight, a hold and why, the last batches',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { mergeQueueStatus, formatMergeQueue } = await import('../../merge-queue/status.js');
      const status = await mergeQueueStatus(initialisedLayout(cmd));
      if (opts.json) return printJson(status);
      for (const line of formatMergeQueue(status)) print(line);
    });
}
