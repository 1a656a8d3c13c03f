import { existsSync, promises as fs } from 'node:fs';
import { isoSeconds } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import type { SetupContext } from './context.js';
import { cronDriver } from './cron.js';
import type { Applied, SchedulerDriver } from './driver.js';
import { launchdDriver } from './launchd.js';
import type { SchedulerKind, SetupPlan, SetupResult } from './plan.js';
import { changed } from './plannedFiles.js';
import { forgetInstalled, readInstalledTicks, recordInstalled } from './record.js';
import { systemdDriver } from './systemd.js';
import { buildTickSpec, tickCommand } from './tickSpec.js';

const DRIVERS: Record<SchedulerKind, SchedulerDriver> = {
  cron: cronDriver,
  launchd: launchdDriver,
  systemd: systemdDriver,
};

/** Exactly what `setup <kind>` would install; installs nothing (`--print`). */
export function planSetup(kind: SchedulerKind, ctx: SetupContext): SetupPlan {
  if (ctx.serve && kind === 'cron')
    throw new ExitError(
      'setup cron --serve: cron starts commands, it cannot keep a server running; use setup systemd or setup launchd with --serve, or run `tickfleet serve` yourself',
    );
  return DRIVERS[kind].plan(ctx, buildTickSpec(ctx));
}

/** Install (or bring up to date) the per-minute tick. Safe to rerun: an unchanged install touches nothing. */
export async function installTick(kind: SchedulerKind, ctx: SetupContext): Promise<SetupResult> {
  const driver = DRIVERS[kind];
  const plan = planSetup(kind, ctx);
  // cron's `>>` and launchd's StandardOutPath fail when the folder is missing.
  await fs.mkdir(ctx.layout.logs, { recursive: true });
  const applied = await driver.install(ctx, plan);
  const others = (await readInstalledTicks(ctx.layout)).filter((t) => t.kind !== kind);
  await recordInstalled(ctx.layout, {
    kind,
    installed_at: isoSeconds(ctx.clock.now()),
    paths: applied.items.map((i) => i.path),
    log: plan.spec.logFile,
    command: tickCommand(plan.spec),
    id: driver.id(plan),
    activated: applied.activated,
  });
  const warnings = [
    ...plan.spec.warnings,
    ...others.map(
      (t) =>
        `the tick is also installed with ${t.kind}: two schedulers would both tick every minute; remove one with \`tickfleet setup ${t.kind} --uninstall\``,
    ),
  ];
  return result(plan, applied, changed(applied.items) || applied.ran.length > 0 ? 'installed' : 'unchanged', warnings);
}

/** Remove exactly our entry (crontab line, plist, units); anything else is left alone. */
export async function uninstallTick(kind: SchedulerKind, ctx: SetupContext): Promise<SetupResult> {
  // The server goes with the tick, whether or not --serve is given again; a tick installed alone is removed as before.
  const tickOnly = planSetup(kind, { ...ctx, serve: false });
  const withServe = kind === 'cron' ? tickOnly : planSetup(kind, { ...ctx, serve: true });
  const served = withServe.files.some((f) => !tickOnly.files.some((t) => t.path === f.path) && existsSync(f.path));
  const plan = served ? withServe : tickOnly;
  const applied = await DRIVERS[kind].uninstall(ctx, plan);
  await forgetInstalled(ctx.layout, kind);
  return result(plan, applied, changed(applied.items) || applied.ran.length > 0 ? 'removed' : 'absent', []);
}

function result(plan: SetupPlan, applied: Applied, outcome: SetupResult['outcome'], warnings: string[]): SetupResult {
  return {
    kind: plan.kind,
    root: plan.spec.root,
    outcome,
    items: applied.items,
    ran: applied.ran,
    skipped: applied.skipped,
    warnings,
    plan,
  };
}
