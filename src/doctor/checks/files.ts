import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Layout } from '../../core/paths.js';
import { listIds } from '../../core/queueFolder.js';
import { ledgerDayDir, ledgerDays } from '../../ledger/ledger.js';
import { proposalQueue } from '../../proposals/store.js';
import { listQuarantined } from '../../tasks/quarantine.js';
import type { Finding } from '../finding.js';

/**
 * Ledger records that do not parse. Spend is summed from the ones that do,
 * so each unreadable record makes today's spend (and the budgets) read low.
 */
export async function checkLedger(layout: Layout): Promise<Finding> {
  const bad: string[] = [];
  let count = 0;
  for (const day of await ledgerDays(layout)) {
    const dir = ledgerDayDir(layout, day);
    // A day folder removed since it was listed holds no records.
    for (const name of (await fs.readdir(dir).catch(() => [])).sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      count++;
      const file = path.join(dir, name);
      try {
        const record = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
        if (
          typeof record !== 'object' ||
          record === null ||
          typeof (record as { run_id?: unknown }).run_id !== 'string' ||
          typeof (record as { agent?: unknown }).agent !== 'string'
        )
          bad.push(file);
      } catch {
        bad.push(file);
      }
    }
  }
  if (bad.length === 0)
    return { check: 'ledger', severity: 'ok', found: `${count} run record${count === 1 ? '' : 's'}, all readable` };
  const shown = bad
    .slice(0, 3)
    .map((f) => path.relative(layout.root, f))
    .join(', ');
  return {
    check: 'ledger',
    severity: 'warn',
    found: `${bad.length} unreadable run record(s): ${shown}${bad.length > 3 ? ', …' : ''}; their cost is missing from spend totals and budgets`,
    fix: 'repair them from the run transcripts in .orchestrator/agents/<name>/transcripts/, or move them out of .orchestrator/runs/',
  };
}

/** Queue files set aside because they could not be read: the work in them waits for a person. */
export function checkQuarantine(layout: Layout): Finding {
  const tasks = listQuarantined(layout);
  const proposals = listIds(proposalQueue(layout), 'quarantine');
  if (tasks.length + proposals.length === 0)
    return { check: 'quarantine', severity: 'ok', found: 'no quarantined queue files' };
  const first = tasks[0];
  const parts = [
    tasks.length > 0
      ? `${tasks.length} task file(s) (first: ${path.relative(layout.root, first!.file)}${first!.reason ? `: ${first!.reason.split('\n')[0]}` : ''})`
      : '',
    proposals.length > 0 ? `${proposals.length} proposal file(s)` : '',
  ].filter(Boolean);
  return {
    check: 'quarantine',
    severity: 'warn',
    found: `quarantined: ${parts.join(' and ')}`,
    fix: 'read the .reason file beside each in shared/queue/quarantine/ (or proposals/quarantine/), fix the file and move it back, or delete it',
  };
}
