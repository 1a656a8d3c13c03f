import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { WatchTickEvent } from '../../watch/loop.js';
import { onOutputClosed } from '../closedOutput.js';
import { dim, print, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

interface WatchOpts {
  interval: string;
  debug?: boolean;
}

export function register(program: Command): void {
  program
    .command('watch')
    .description(
      'keep ticking instead of cron: every interval and right after a task lands in incoming/; never two ticks at once',
    )
    .option('--interval <seconds>', 'seconds between ticks', '60')
    .option('--debug', 'write logs/scheduler-YYYY-MM-DD.log and per-agent logs')
    .action(async (opts: WatchOpts, cmd: Command) => {
      const interval = Number(opts.interval);
      if (!Number.isFinite(interval) || interval < 1)
        throw new UsageError(`--interval: expected a number of seconds >= 1, got "${opts.interval}"`);
      const layout = initialisedLayout(cmd);
      const { watchFleet } = await import('../../watch/loop.js');
      const { runTick } = await import('../../scheduler/tick.js');
      const { writeDailyReport } = await import('../dailyReport.js');
      const { readInstalledTick } = await import('../../setup/record.js');
      const installed = await readInstalledTick(layout);
      if (installed)
        print(dim(`note: the tick is also installed with ${installed.kind}; the two never overlap, but one is enough`));
      print(
        `watching ${layout.root}: a tick every ${interval}s and when a task lands in incoming/ (Ctrl-C stops after the tick in progress)`,
      );

      const controller = new AbortController();
      const stop = () => {
        // A second Ctrl-C finds no handler and ends the process at once.
        print(dim('stopping after the tick in progress…'));
        controller.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Nobody reads the output any more (`watch | head`): stop as on Ctrl-C.
      const forget = onOutputClosed(stop);
      const onTick = (e: WatchTickEvent) => print(e.error ? yellow(e.line) : e.line);
      const onWatchError = (err: Error) =>
        print(yellow(`cannot watch incoming/ (${err.message}); ticking on the interval only`));
      try {
        await watchFleet(layout, {
          signal: controller.signal,
          intervalMs: interval * 1000,
          tick: () => runTick(layout, { debug: opts.debug === true, dailyReport: writeDailyReport }),
          onTick,
          onWatchError,
        });
      } finally {
        forget();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      print('stopped; runs in progress go on (their runners are detached)');
    });
}
