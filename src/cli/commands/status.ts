import type { Command } from 'commander';
import { isExitError, UsageError } from '../../core/errors.js';
import type { FleetStatus } from '../../status/fleetStatus.js';
import type { RedrawReason } from '../../status/watch.js';
import { onOutputClosed } from '../closedOutput.js';
import { bold, dim, green, print, printJson, useColor, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

interface StatusOpts {
  json?: boolean;
  watch?: boolean;
  interval: string;
}

// output.ts's red() is for stderr; status writes its red to stdout.
const red = (t: string) => (useColor() ? `\u001b[31m${t}\u001b[0m` : t);
const style = { green, yellow, dim, bold, red };

export function register(program: Command): void {
  program
    .command('status')
    .description(
      "the fleet at a glance: each agent's state and why, spend, queue, proposals, messages, and what needs a person",
    )
    .option('--json', 'machine-readable output (with --watch: one JSON document per line, per redraw)')
    .option(
      '--watch',
      'redraw when the queue, an agent, the messages or the fleet pause change, and on a timer (Ctrl-C to stop)',
    )
    .option('--interval <seconds>', 'with --watch: redraw at least this often', '10')
    .action(async (opts: StatusOpts, cmd: Command) => {
      const intervalMs = seconds(opts.interval);
      const layout = initialisedLayout(cmd);
      const { fleetStatus } = await import('../../status/collect.js');
      const { formatStatus } = await import('../../status/format.js');
      const { watchStatus } = await import('../../status/watch.js');
      const { phraseCommands, tickfleetInvocation } = await import('../../init/cliCommand.js');
      // Fixes name `tickfleet …`; print them as tickfleet runs in this project (a submodule has no `tickfleet` on PATH).
      const tf = tickfleetInvocation(layout.root).command;
      const phrased = (s: FleetStatus): FleetStatus => ({
        ...s,
        attention: s.attention.map((a) => ({ ...a, fix: phraseCommands(a.fix, tf) })),
      });
      const lines = (s: FleetStatus) => formatStatus(phrased(s), style).map((l) => phraseCommands(l, tf));
      if (!opts.watch) {
        const status = phrased(await fleetStatus(layout));
        return opts.json ? printJson(status) : print(lines(status).join('\n'));
      }
      const tty = process.stdout.isTTY === true;
      const draw = (lines: string[]) => {
        // A terminal gets a redrawn screen; a pipe or a file gets one block per redraw.
        process.stdout.write(tty ? `\u001b[H\u001b[2J${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`);
      };
      const render = (status: FleetStatus, _reason: RedrawReason) => {
        if (opts.json) process.stdout.write(`${JSON.stringify(phrased(status))}\n`);
        else draw([...lines(status), '', dim(`redraws on changes and every ${intervalMs / 1000}s · Ctrl-C to stop`)]);
      };
      const onError = (err: Error) => {
        const details = isExitError(err) ? err.details : [];
        if (opts.json) process.stdout.write(`${JSON.stringify({ error: err.message, details })}\n`);
        else draw([red(`✗ ${err.message}`), ...details.map((d) => `  ${d}`), '', dim('waiting for a change…')]);
      };
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const forget = onOutputClosed(stop);
      try {
        await watchStatus(layout, { signal: controller.signal, intervalMs, render, onError });
      } finally {
        forget();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--interval: expected a number of seconds > 0, got "${value}"`);
  return n * 1000;
}
