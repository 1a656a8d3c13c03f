import type { Layout } from '../../core/paths.js';
import { readInstalledTick } from '../../setup/record.js';
import { ago } from '../../status/ago.js';
import { lastTickAt, TICK_SILENCE_MS } from '../../status/lastTick.js';
import type { Finding } from '../finding.js';

/**
 * Is the fleet ticked? `tickfleet setup` records what it installed; file
 * times say when a tick last ran (status/lastTick.ts). Installed but silent
 * for TICK_SILENCE_MS is a tick that does not run (a crontab PATH, a
 * stopped timer); not installed but recent is someone else's scheduler or
 * `tickfleet watch`, which is fine.
 */
export async function checkTick(layout: Layout, now: Date, metricsTextfile?: string): Promise<Finding> {
  const installed = await readInstalledTick(layout);
  const last = await lastTickAt(layout, metricsTextfile);
  const age = last ? now.getTime() - last.at.getTime() : Infinity;
  const when = !last
    ? 'no tick has run yet'
    : last.fromRuns
      ? `the last sign of a tick is ${last.source} ${ago(last.at, now)} ago`
      : `last ran ${ago(last.at, now)} ago (${last.source})`;
  if (installed) {
    const what = `tick installed with ${installed.kind} on ${installed.installed_at}`;
    if (age <= TICK_SILENCE_MS) return { check: 'tick', severity: 'ok', found: `${what}; ${when}` };
    return {
      check: 'tick',
      severity: 'warn',
      found: `${what}, but ${when}`,
      fix: `read .orchestrator/logs/tick.log and run \`tickfleet scheduler\` by hand to see what fails; reinstall with \`tickfleet setup ${installed.kind}\``,
    };
  }
  if (age <= TICK_SILENCE_MS)
    return {
      check: 'tick',
      severity: 'ok',
      found: `not installed by tickfleet setup, but ticks run: ${when} (your own scheduler or tickfleet watch)`,
    };
  return {
    check: 'tick',
    severity: 'warn',
    found: `no tick installed, and ${when}: no agent starts`,
    fix: 'run `tickfleet setup cron` (or launchd / systemd), or keep `tickfleet watch` running',
  };
}
