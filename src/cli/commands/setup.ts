import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { isSchedulerKind, SCHEDULER_KINDS, type SchedulerKind } from '../../setup/plan.js';
import { print, printJson, useColor } from '../output.js';
import { initialisedLayout, projectLayout } from '../project.js';

interface SetupOpts {
  print?: boolean;
  uninstall?: boolean;
  serve?: boolean;
  json?: boolean;
}

/** `tickfleet setup cron|launchd|systemd`: install the per-minute tick. */
export function register(program: Command): void {
  program
    .command('setup')
    .argument('<scheduler>', SCHEDULER_KINDS.join(', '))
    .description(
      'install the per-minute `tickfleet scheduler` tick into cron, launchd or a systemd user timer (safe to rerun)',
    )
    .option('--print', 'show exactly what would be installed, and install nothing')
    .option('--uninstall', "remove this project's tick and its server (and nothing else)")
    .option('--serve', 'also install `tickfleet serve` as a long-running service beside the tick (systemd, launchd)')
    .option('--json', 'machine-readable output')
    .action(async (scheduler: string, opts: SetupOpts, cmd: Command) => {
      const { formatSetupPlan, formatSetupResult } = await import('../../setup/report.js');
      const { installTick, planSetup, uninstallTick } = await import('../../setup/install.js');
      const { setupContext } = await import('../../setup/context.js');
      const kind = kindArgument(scheduler);
      if (opts.print && opts.uninstall) throw new UsageError('--print and --uninstall cannot be combined');
      // Removing must work even after .orchestrator/ is gone; installing needs an initialised project.
      const ctx = setupContext(opts.uninstall ? projectLayout(cmd) : initialisedLayout(cmd), {
        serve: opts.serve === true,
      });
      if (opts.print) {
        const plan = planSetup(kind, ctx);
        if (opts.json) return printJson(plan);
        warn(plan.spec.warnings);
        return print(formatSetupPlan(plan).join('\n'));
      }
      const result = opts.uninstall ? await uninstallTick(kind, ctx) : await installTick(kind, ctx);
      if (opts.json) return printJson(result);
      warn(result.warnings);
      print(formatSetupResult(result).join('\n'));
    });
}

function kindArgument(value: string): SchedulerKind {
  if (!isSchedulerKind(value))
    throw new UsageError(`setup: unknown scheduler "${value}"; use one of ${SCHEDULER_KINDS.join(', ')}`);
  return value;
}

/** Warnings are diagnostics: stderr, so `--print` output stays exactly the installed text. */
function warn(warnings: readonly string[]): void {
  const label = useColor(process.stderr) ? '\u001b[33mwarning:\u001b[0m' : 'warning:';
  for (const w of warnings) process.stderr.write(`${label} ${w}\n`);
}
