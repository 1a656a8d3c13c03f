import type { Command } from 'commander';
import { TASK_STATES } from '../../core/paths.js';
import { dim, print, printJson, table, yellow } from '../output.js';
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
      const { queueStatus } = await import('../../tasks/queueCounts.js');
      const { lifecycleLine } = await import('../../tasks/lifecycle.js');
      const status = await queueStatus(initialisedLayout(cmd));
      if (opts.json) return printJson(status);
      const roles = Object.keys(status.byRole).sort();
      const rows = [['role', ...TASK_STATES]];
      for (const role of roles)
        rows.push([role, ...TASK_STATES.map((s) => String(status.byStateAndRole[s][role] ?? 0))]);
      rows.push(['total', ...TASK_STATES.map((s) => String(status.counts[s]))]);
      print(table(rows));
      if (roles.length > 0) print(`lifecycle: ${lifecycleLine(status.byLifecycle)}`);
      if (status.quarantined > 0)
        print(yellow(`${status.quarantined} file(s) in quarantine/ (each with a .reason file beside it)`));
      for (const u of status.unreadable) print(yellow(`unreadable: ${u.file}: ${u.reason}`));
      for (const p of status.dependencyProblems) print(yellow(`blocked_by: ${p.message}`));
      if (roles.length === 0) print(dim('the queue is empty: add work with `tickfleet enqueue`'));
    });
}
