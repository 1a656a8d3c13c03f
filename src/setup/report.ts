import path from 'node:path';
import { commandLine } from '../process/shellQuote.js';
import type { SetupItem, SetupPlan, SetupResult } from './plan.js';

/**
 * `setup <kind> --print`: exactly what would be installed. Everything that is
 * not the installed text is a `#` comment, so the output can be pasted into
 * `crontab -e` or read as the files it names.
 */
export function formatSetupPlan(plan: SetupPlan): string[] {
  const lines = [`# tickfleet setup ${plan.kind} for ${plan.spec.root} would install (--print installs nothing):`];
  if (plan.crontabLine !== undefined)
    lines.push('# crontab line (added with crontab -l / crontab -):', plan.crontabLine);
  for (const file of plan.files) lines.push(`# file ${file.path}:`, ...file.content.replace(/\n$/, '').split('\n'));
  for (const argv of plan.activate) lines.push(`# then: ${commandLine(argv[0]!, argv.slice(1))}`);
  lines.push(`# log: ${plan.spec.logFile}`);
  for (const note of plan.notes) lines.push(`# note: ${note}`);
  return lines;
}

/** The compact report of an install or uninstall, one line per thing touched. */
export function formatSetupResult(result: SetupResult): string[] {
  const lines = [`tickfleet setup ${result.kind}${isUninstall(result) ? ' --uninstall' : ''} for ${result.root}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(10)} ${text}`);
  for (const item of result.items) row(item.action, describe(item));
  for (const command of result.ran) row('ran', command);
  for (const text of result.skipped) row('skipped', text);
  if (result.outcome === 'installed' || result.outcome === 'unchanged') {
    row('log', path.relative(result.root, result.plan.spec.logFile));
    for (const note of result.plan.notes) row('note', note);
  }
  lines.push(summary(result));
  return lines;
}

function isUninstall(result: SetupResult): boolean {
  return result.outcome === 'removed' || result.outcome === 'absent';
}

function describe(item: SetupItem): string {
  return item.path === 'crontab' ? 'crontab entry' : item.path;
}

function summary(result: SetupResult): string {
  switch (result.outcome) {
    case 'installed':
      return result.skipped.length > 0
        ? 'Written, but the scheduler was not told: see "skipped" above.'
        : `Installed: \`tickfleet scheduler\` runs every minute (${result.kind}).`;
    case 'unchanged':
      return result.skipped.length > 0
        ? 'Nothing changed, but the scheduler was not told: see "skipped" above.'
        : 'Already installed: nothing changed.';
    case 'removed':
      return `Removed: ${result.kind} no longer runs the tick for this project.`;
    case 'absent':
      return 'Not installed: nothing to remove.';
  }
}
