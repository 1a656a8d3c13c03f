import type { Command } from 'commander';
import { initialisedLayout } from '../project.js';

export function register(program: Command): void {
  program
    .command('queue-status')
    .description(
      'task counts per state and role, per lifecycle (in review, approved, merged, ...), quarantined files and dependency problems',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      // Loaded here, not at start-up: every command pays for what it imports.
      const { runQueueStatus } = await import('../queueStatusOutput.js');
      await runQueueStatus(initialisedLayout(cmd), opts.json === true);
    });
}
