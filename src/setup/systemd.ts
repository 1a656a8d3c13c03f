import path from 'node:path';
import { ExitError } from '../core/errors.js';
import type { SetupContext } from './context.js';
import { type Applied, callTool, newApplied, type SchedulerDriver, toolError } from './driver.js';
import type { SetupPlan, TickSpec } from './plan.js';
import { changed, removePlannedFiles, writePlannedFiles } from './plannedFiles.js';
import { fillTemplate, readSetupTemplate, systemdText, systemdWord } from './templates.js';
import { serveCommand, serveLogFile, tickCommand } from './tickSpec.js';

/** systemd: a user service (one tick) and a timer that starts it every minute. */
export function systemdUnitDir(ctx: SetupContext): string {
  // The user manager reads $XDG_CONFIG_HOME/systemd/user, which defaults to ~/.config.
  const xdg = ctx.env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(ctx.home, '.config'), 'systemd', 'user');
}

export function systemdUnitNames(spec: TickSpec): { service: string; timer: string; serve: string } {
  return {
    service: `tickfleet-${spec.slug}.service`,
    timer: `tickfleet-${spec.slug}.timer`,
    serve: `tickfleet-${spec.slug}-serve.service`,
  };
}

/** `tickfleet serve` as a long-running user service beside the timer, restarted when it fails. */
export function renderServeService(
  spec: TickSpec,
  argv: string[],
  template = readSetupTemplate('systemd.serve.service.tmpl'),
): string {
  return fillTemplate(template, {
    root: systemdText(spec.root),
    environment: systemdWord(`PATH=${spec.path}`),
    execStart: argv.map((w) => systemdWord(w, true)).join(' '),
    log: systemdText(serveLogFile(spec)),
  });
}

export function renderService(spec: TickSpec, template = readSetupTemplate('systemd.service.tmpl')): string {
  return fillTemplate(template, {
    root: systemdText(spec.root),
    environment: systemdWord(`PATH=${spec.path}`),
    execStart: tickCommand(spec)
      .map((w) => systemdWord(w, true))
      .join(' '),
    log: systemdText(spec.logFile),
  });
}

export function renderTimer(spec: TickSpec, template = readSetupTemplate('systemd.timer.tmpl')): string {
  return fillTemplate(template, { root: systemdText(spec.root), service: systemdUnitNames(spec).service });
}

const LINGER_NOTE =
  'a user timer runs only while you are logged in; to keep the fleet ticking after you log out, run once: loginctl enable-linger $USER';

export const systemdDriver: SchedulerDriver = {
  plan(ctx, spec): SetupPlan {
    const dir = systemdUnitDir(ctx);
    const names = systemdUnitNames(spec);
    const serve = serveCommand(spec);
    return {
      kind: 'systemd',
      spec,
      files: [
        { path: path.join(dir, names.service), content: renderService(spec) },
        { path: path.join(dir, names.timer), content: renderTimer(spec) },
        ...(serve ? [{ path: path.join(dir, names.serve), content: renderServeService(spec, serve) }] : []),
      ],
      activate: [
        ['systemctl', '--user', 'daemon-reload'],
        ['systemctl', '--user', 'enable', '--now', names.timer],
        ...(serve ? [['systemctl', '--user', 'enable', '--now', names.serve]] : []),
      ],
      notes: [LINGER_NOTE],
    };
  },

  async install(ctx, plan) {
    const applied = newApplied();
    const { timer } = systemdUnitNames(plan.spec);
    applied.items.push(...(await writePlannedFiles(plan.files)));
    const state = await timerState(ctx, applied, timer);
    if (state === undefined) {
      applied.skipped.push(
        `systemctl not found: the units are written but not enabled; run: systemctl --user daemon-reload && systemctl --user enable --now ${timer}`,
      );
      return applied;
    }
    if (changed(applied.items)) await mustRun(ctx, applied, ['--user', 'daemon-reload']);
    if (!state.enabled || !state.active) await mustRun(ctx, applied, ['--user', 'enable', '--now', timer]);
    // A running timer keeps its old schedule until restarted.
    else if (applied.items.some((i) => i.path.endsWith('.timer') && i.action === 'updated'))
      await mustRun(ctx, applied, ['--user', 'restart', timer]);
    if (plan.spec.serveArgs) {
      const { serve } = systemdUnitNames(plan.spec);
      const served = await timerState(ctx, applied, serve);
      if (!served?.enabled || !served.active) await mustRun(ctx, applied, ['--user', 'enable', '--now', serve]);
      // A running server keeps its old command line until restarted.
      else if (applied.items.some((i) => i.path.endsWith(serve) && i.action === 'updated'))
        await mustRun(ctx, applied, ['--user', 'restart', serve]);
    }
    return applied;
  },

  async uninstall(ctx, plan) {
    const applied = newApplied();
    const { timer } = systemdUnitNames(plan.spec);
    const state = await timerState(ctx, applied, timer);
    if (state === undefined) applied.skipped.push('systemctl not found: nothing to disable');
    else if (state.enabled || state.active) await mustRun(ctx, applied, ['--user', 'disable', '--now', timer]);
    if (state !== undefined && plan.spec.serveArgs) {
      const { serve } = systemdUnitNames(plan.spec);
      const served = await timerState(ctx, applied, serve);
      if (served?.enabled || served?.active) await mustRun(ctx, applied, ['--user', 'disable', '--now', serve]);
    }
    applied.items.push(...(await removePlannedFiles(plan.files)));
    if (state !== undefined && changed(applied.items)) await mustRun(ctx, applied, ['--user', 'daemon-reload']);
    return applied;
  },

  id: (plan) => systemdUnitNames(plan.spec).timer,
};

/** Whether a unit (the timer, the server) is enabled and active; undefined when systemctl is not installed. */
async function timerState(
  ctx: SetupContext,
  applied: Applied,
  timer: string,
): Promise<{ enabled: boolean; active: boolean } | undefined> {
  const enabled = await callTool(ctx, applied, 'systemctl', ['--user', 'is-enabled', '--quiet', timer], {
    query: true,
  });
  if (enabled.missing) {
    applied.activated = false;
    return undefined;
  }
  const active = await callTool(ctx, applied, 'systemctl', ['--user', 'is-active', '--quiet', timer], { query: true });
  return { enabled: enabled.exitCode === 0, active: active.exitCode === 0 };
}

async function mustRun(ctx: SetupContext, applied: Applied, args: string[]): Promise<void> {
  const result = await callTool(ctx, applied, 'systemctl', args);
  if (result.exitCode !== 0) throw new ExitError(`systemctl ${args.join(' ')} failed: ${toolError(result)}`);
}
