import type { Layout } from '../core/paths.js';
import { TASK_STATES } from '../core/paths.js';
import { lifecycleLine } from '../tasks/lifecycle.js';
import { queueStatus } from '../tasks/queueCounts.js';
import { dim, print, printJson, table, yellow } from './output.js';

/** What `tickfleet queue-status [--json]` prints, by either path (the CLI's command or the program below). */
export async function runQueueStatus(layout: Layout, json: boolean): Promise<void> {
  const status = await queueStatus(layout);
  if (json) return printJson(status);
  const roles = Object.keys(status.byRole).sort();
  const rows = [['role', ...TASK_STATES]];
  for (const role of roles) rows.push([role, ...TASK_STATES.map((s) => String(status.byStateAndRole[s][role] ?? 0))]);
  rows.push(['total', ...TASK_STATES.map((s) => String(status.counts[s]))]);
  print(table(rows));
  if (roles.length > 0) print(`lifecycle: ${lifecycleLine(status.byLifecycle)}`);
  if (status.quarantined > 0)
    print(yellow(`${status.quarantined} file(s) in quarantine/ (each with a .reason file beside it)`));
  for (const u of status.unreadable) print(yellow(`unreadable: ${u.file}: ${u.reason}`));
  for (const p of status.dependencyProblems) print(yellow(`blocked_by: ${p.message}`));
  if (roles.length === 0) print(dim('the queue is empty: add work with `tickfleet enqueue`'));
}
