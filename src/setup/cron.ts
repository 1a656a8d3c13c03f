import { ExitError } from '../core/errors.js';
import type { SetupContext } from './context.js';
import { cronLine, cronMarker, removeCronLine, upsertCronLine } from './crontab.js';
import { type Applied, callTool, newApplied, type SchedulerDriver, toolError } from './driver.js';
import type { SetupPlan } from './plan.js';

/**
 * cron: the user's crontab, edited only through `crontab -l` / `crontab -`
 * (never the spool file), changing our one line and nothing else.
 */
export const cronDriver: SchedulerDriver = {
  plan(_ctx, spec): SetupPlan {
    return { kind: 'cron', spec, files: [], crontabLine: cronLine(spec), activate: [['crontab', '-']], notes: [] };
  },

  async install(ctx, plan) {
    const applied = newApplied();
    const table = await readCrontab(ctx, applied, plan);
    const edit = upsertCronLine(table, plan.spec.root, plan.crontabLine!);
    if (edit.action !== 'unchanged') await writeCrontab(ctx, applied, edit.text);
    applied.items.push({ path: 'crontab', action: edit.action });
    return applied;
  },

  async uninstall(ctx, plan) {
    const applied = newApplied();
    const table = await readCrontab(ctx, applied, plan);
    const edit = removeCronLine(table, plan.spec.root);
    if (edit.action === 'removed') await writeCrontab(ctx, applied, edit.text);
    applied.items.push({ path: 'crontab', action: edit.action });
    return applied;
  },

  id: (plan) => cronMarker(plan.spec.root),
};

async function readCrontab(ctx: SetupContext, applied: Applied, plan: SetupPlan): Promise<string> {
  const result = await callTool(ctx, applied, 'crontab', ['-l'], { query: true });
  if (result.missing) {
    throw new ExitError(
      'crontab not found: install cron, use `tickfleet setup launchd` or `setup systemd`, or add this line to your crontab yourself',
      {
        details: [plan.crontabLine!],
      },
    );
  }
  if (result.exitCode === 0) return result.stdout;
  // A user who never had a crontab gets exit 1 and "no crontab for <user>": an empty table.
  if (/no crontab/i.test(result.stderr)) return '';
  throw new ExitError(`crontab -l failed: ${toolError(result)}`);
}

async function writeCrontab(ctx: SetupContext, applied: Applied, text: string): Promise<void> {
  const result = await callTool(ctx, applied, 'crontab', ['-'], { input: text });
  if (result.exitCode !== 0) throw new ExitError(`crontab - failed: ${toolError(result)}`);
}
