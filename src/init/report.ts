import type { InitAction, InitItem } from './actions.js';
import { changedNothing, type InitResult } from './init.js';

const GROUP_LABEL: Partial<Record<InitItem['kind'], [string, string]>> = {
  folder: ['folder', 'folders'],
  command: ['slash command', 'slash commands'],
};

/**
 * The compact report `tickfleet init` prints: one line per file, and one line
 * per action for the many folders and slash commands (except edited ones,
 * which are named so the user knows what was left alone).
 */
export function formatInitReport(result: InitResult): string[] {
  const lines = [`tickfleet init in ${result.root}`];
  const row = (action: InitAction, what: string) => lines.push(`  ${action.padEnd(10)} ${what}`);
  for (const kind of ['folder', 'config', 'command', 'gitignore', 'claude-md'] as const) {
    const items = result.items.filter((i) => i.kind === kind);
    const label = GROUP_LABEL[kind];
    if (!label) {
      for (const item of items) row(item.action, describe(item));
      continue;
    }
    for (const action of unique(items.map((i) => i.action))) {
      const same = items.filter((i) => i.action === action);
      if (same.length === 1 || action === 'kept') for (const item of same) row(action, describe(item));
      else row(action, `${same.length} ${label[1]} under ${commonFolder(same.map((i) => i.path))}`);
    }
  }
  for (const warning of result.warnings) lines.push(`  warning    ${warning}`);
  const tf = result.invocation;
  if (result.alias)
    lines.push(`Run tickfleet as: ${tf} <command> (from ${result.root}), or add an alias: ${result.alias}`);
  lines.push(
    changedNothing(result)
      ? 'Already set up: nothing changed.'
      : `Next: review .orchestrator/agents.yaml, run \`${tf} doctor\`, commit .orchestrator/agents.yaml, .claude/commands/ and .gitignore, then \`${tf} setup cron\` for a tick every minute.`,
  );
  return lines;
}

function describe(item: InitItem): string {
  if (item.action === 'suggested' || (item.action === 'skipped' && item.kind === 'claude-md' && item.detail)) {
    const intro =
      item.action === 'suggested'
        ? `${item.path}: not found; add these lines to your claude.md`
        : `${item.path}: consider adding`;
    return [intro, ...(item.detail ?? '').split('\n').map((l) => `             ${l}`)].join('\n');
  }
  return item.detail ? `${item.path} (${item.detail})` : item.path;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function commonFolder(paths: string[]): string {
  const parts = paths.map((p) => p.replace(/\/$/, '').split('/'));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return n === 0 ? './' : `${first.slice(0, n).join('/')}/`;
}
