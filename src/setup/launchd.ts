import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import type { SetupContext } from './context.js';
import { type Applied, callTool, newApplied, type SchedulerDriver, toolError } from './driver.js';
import type { SetupPlan, TickSpec } from './plan.js';
import { changed, removePlannedFiles, writePlannedFiles } from './plannedFiles.js';
import { fillTemplate, readSetupTemplate, xmlEscape } from './templates.js';
import { tickCommand } from './tickSpec.js';

/** launchd: a LaunchAgent plist in the user's home, loaded with `launchctl load -w`. */
export function launchdLabel(spec: TickSpec): string {
  return `com.tickfleet.${spec.slug}`;
}

export function launchdPlistPath(ctx: SetupContext, spec: TickSpec): string {
  return path.join(ctx.home, 'Library', 'LaunchAgents', `${launchdLabel(spec)}.plist`);
}

export function renderPlist(spec: TickSpec, template = readSetupTemplate('launchd.plist.tmpl')): string {
  return fillTemplate(template, {
    label: xmlEscape(launchdLabel(spec)),
    programArguments: tickCommand(spec)
      .map((arg) => `        <string>${xmlEscape(arg)}</string>`)
      .join('\n'),
    root: xmlEscape(spec.root),
    log: xmlEscape(spec.logFile),
    path: xmlEscape(spec.path),
  });
}

export const launchdDriver: SchedulerDriver = {
  plan(ctx, spec): SetupPlan {
    const plist = launchdPlistPath(ctx, spec);
    return {
      kind: 'launchd',
      spec,
      files: [{ path: plist, content: renderPlist(spec) }],
      activate: [['launchctl', 'load', '-w', plist]],
      notes: [],
    };
  },

  async install(ctx, plan) {
    const applied = newApplied();
    const plist = plan.files[0]!.path;
    applied.items.push(...(await writePlannedFiles(plan.files)));
    const loaded = await isLoaded(ctx, applied, plan);
    if (loaded === undefined) {
      applied.skipped.push(
        `launchctl not found: ${plist} is written but not loaded; on macOS run: launchctl load -w ${plist}`,
      );
      return applied;
    }
    if (loaded && !changed(applied.items)) return applied;
    // A loaded job keeps its old definition until it is unloaded and loaded again.
    if (loaded) await callTool(ctx, applied, 'launchctl', ['unload', plist]);
    const result = await callTool(ctx, applied, 'launchctl', ['load', '-w', plist]);
    if (result.exitCode !== 0)
      throw new ExitError(`launchctl load -w ${plist} failed: ${toolError(result)} (the plist is written)`);
    return applied;
  },

  async uninstall(ctx, plan) {
    const applied = newApplied();
    const plist = plan.files[0]!.path;
    const loaded = await isLoaded(ctx, applied, plan);
    if (loaded === undefined) applied.skipped.push('launchctl not found: nothing to unload');
    else if (loaded) {
      const args = existsSync(plist) ? ['unload', '-w', plist] : ['remove', launchdLabel(plan.spec)];
      const result = await callTool(ctx, applied, 'launchctl', args);
      if (result.exitCode !== 0) throw new ExitError(`launchctl ${args.join(' ')} failed: ${toolError(result)}`);
    }
    applied.items.push(...(await removePlannedFiles(plan.files)));
    return applied;
  },

  id: (plan) => launchdLabel(plan.spec),
};

/** Whether launchd has our job; undefined when launchctl is not installed (not macOS). */
async function isLoaded(ctx: SetupContext, applied: Applied, plan: SetupPlan): Promise<boolean | undefined> {
  const result = await callTool(ctx, applied, 'launchctl', ['list', launchdLabel(plan.spec)], { query: true });
  if (result.missing) {
    applied.activated = false;
    return undefined;
  }
  return result.exitCode === 0;
}
