import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { SetupContext } from './context.js';
import type { TickSpec } from './plan.js';
import { tickPath } from './searchPath.js';

/**
 * One log for the tick whatever runs it: cron, launchd and systemd all append
 * the scheduler's stdout and stderr here. It sits beside the scheduler's own
 * --debug logs, in a folder that is gitignored already.
 */
export function tickLogFile(layout: Layout): string {
  return path.join(layout.logs, 'tick.log');
}

/**
 * A name for labels and unit files: readable (the project folder's name) and
 * unique per checkout (a hash of the absolute root), so two projects both
 * called `app` never replace each other's tick.
 */
export function projectSlug(root: string): string {
  const base = path
    .basename(root)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 8);
  return `${base || 'project'}-${hash}`;
}

/** The shared "what to install" that every scheduler renders in its own format. */
export function buildTickSpec(ctx: SetupContext): TickSpec {
  const root = ctx.layout.root;
  const found = tickPath(ctx.node, ctx.env.PATH, ctx.gh);
  const warnings = [...found.warnings];
  if (!existsSync(ctx.cli))
    warnings.push(`${ctx.cli} does not exist: build tickfleet (npm run build) before the first tick`);
  if (/[\n\r]/.test(root))
    throw new ExitError(`project root ${JSON.stringify(root)} contains a line break; no scheduler can run it`);
  return {
    root,
    node: ctx.node,
    cli: ctx.cli,
    args: ['-C', root, 'scheduler'],
    ...(ctx.serve ? { serveArgs: ['-C', root, 'serve'] } : {}),
    path: found.value,
    logFile: tickLogFile(ctx.layout),
    slug: projectSlug(root),
    warnings,
  };
}

export function tickCommand(spec: TickSpec): string[] {
  return [spec.node, spec.cli, ...spec.args];
}

/** The server's command line, when the spec has one. */
export function serveCommand(spec: TickSpec): string[] | undefined {
  return spec.serveArgs ? [spec.node, spec.cli, ...spec.serveArgs] : undefined;
}

/** The server's log: its own file, as it runs for days while the tick appends every minute. */
export function serveLogFile(spec: TickSpec): string {
  return path.join(path.dirname(spec.logFile), 'serve.log');
}
