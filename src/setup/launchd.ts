import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import type { SetupContext } from './context.js';
import { type Applied, callTool, newApplied, type SchedulerDriver, toolError } from './driver.js';
import type { SetupPlan, TickSpec } from './plan.js';
import { removePlannedFiles, writePlannedFiles } from './plannedFiles.js';
import { fillTemplate, readSetupTemplate, xmlEscape } from './templates.js';
import { serveCommand, serveLogFile, tickCommand } from './tickSpec.js';

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

export function launchdServeLabel(spec: TickSpec): string {
  return `com.tickfleet.${spec.slug}.serve`;
}

/** `tickfleet serve` as a LaunchAgent kept alive beside the tick's. */
export function renderServePlist(
  spec: TickSpec,
  argv: string[],
  template = readSetupTemplate('launchd.serve.plist.tmpl'),
): string {
  return fillTemplate(template, {
    label: xmlEscape(launchdServeLabel(spec)),
    programArguments: argv.map((arg) => `        <string>${xmlEscape(arg)}</string>`).join('\n'),
    root: xmlEscape(spec.root),
    log: xmlEscape(serveLogFile(spec)),
    path: xmlEscape(spec.path),
  });
}

export const launchdDriver: SchedulerDriver = {
  plan(ctx, spec): SetupPlan {
    const plist = launchdPlistPath(ctx, spec);
    const serve = serveCommand(spec);
    const servePlist = path.join(path.dirname(plist), `${launchdServeLabel(spec)}.plist`);
    return {
      kind: 'launchd',
      spec,
      files: [
        { path: plist, content: renderPlist(spec) },
        ...(serve ? [{ path: servePlist, content: renderServePlist(spec, serve) }] : []),
      ],
      activate: [['launchctl', 'load', '-w', plist], ...(serve ? [['launchctl', 'load', '-w', servePlist]] : [])],
      notes: [],
    };
  },

  async install(ctx, plan) {
    const applied = newApplied();
    applied.items.push(...(await writePlannedFiles(plan.files)));
    for (const [i, file] of plan.files.entries()) {
      const label = i === 0 ? launchdLabel(plan.spec) : launchdServeLabel(plan.spec);
      const loaded = await isLoaded(ctx, applied, label);
      if (loaded === undefined) {
        applied.skipped.push(
          `launchctl not found: ${file.path} is written but not loaded; on macOS run: launchctl load -w ${file.path}`,
        );
        continue;
      }
      if (loaded && !applied.items.some((item) => item.path === file.path && item.action !== 'unchanged')) continue;
      // A loaded job keeps its old definition until it is unloaded and loaded again.
      if (loaded) await callTool(ctx, applied, 'launchctl', ['unload', file.path]);
      const result = await callTool(ctx, applied, 'launchctl', ['load', '-w', file.path]);
      if (result.exitCode !== 0)
        throw new ExitError(`launchctl load -w ${file.path} failed: ${toolError(result)} (the plist is written)`);
    }
    return applied;
  },

  async uninstall(ctx, plan) {
    const applied = newApplied();
    for (const [i, file] of plan.files.entries()) {
      const label = i === 0 ? launchdLabel(plan.spec) : launchdServeLabel(plan.spec);
      const loaded = await isLoaded(ctx, applied, label);
      if (loaded === undefined) {
        if (i === 0) applied.skipped.push('launchctl not found: nothing to unload');
      } else if (loaded) {
        const args = existsSync(file.path) ? ['unload', '-w', file.path] : ['remove', label];
        const result = await callTool(ctx, applied, 'launchctl', args);
        if (result.exitCode !== 0) throw new ExitError(`launchctl ${args.join(' ')} failed: ${toolError(result)}`);
      }
    }
    applied.items.push(...(await removePlannedFiles(plan.files)));
    return applied;
  },

  id: (plan) => launchdLabel(plan.spec),
};

/** Whether launchd has our job; undefined when launchctl is not installed (not macOS). */
async function isLoaded(ctx: SetupContext, applied: Applied, label: string): Promise<boolean | undefined> {
  const result = await callTool(ctx, applied, 'launchctl', ['list', label], { query: true });
  if (result.missing) {
    applied.activated = false;
    return undefined;
  }
  return result.exitCode === 0;
}
