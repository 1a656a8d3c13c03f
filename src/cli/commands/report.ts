import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { parseSince } from '../../ledger/query.js';
import { printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

/** `tickfleet report`: the morning report. */
export function register(program: Command): void {
  program
    .command('report')
    .description(
      'what the fleet achieved: tasks merged, failed and waiting, commits and merges per hour, cost, acceptance per role, errors (also sent once a day as a message)',
    )
    .option('--since <when>', 'window start: a date, an ISO time or an age (90m, 24h, 7d)', '24h')
    .option('--json', 'machine-readable output')
    .action(async (opts: { since: string; json?: boolean }, cmd: Command) => {
      const now = new Date();
      const since = parseSince(opts.since, now);
      if (!since)
        throw new UsageError(
          `--since: expected a date (2026-01-01), an ISO time or an age (90m, 24h, 7d, 2w), got "${opts.since}"`,
        );
      const layout = initialisedLayout(cmd);
      const { loadConfig } = await import('../../config/load.js');
      const { buildReport } = await import('../../report/build.js');
      const { formatReport } = await import('../../report/format.js');
      const { config } = await loadConfig(layout);
      const report = await buildReport(layout, { since, now, config });
      if (opts.json) return printJson(report);
      process.stdout.write(formatReport(report));
    });
}
