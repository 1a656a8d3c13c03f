import type { Config } from '../config/agentsConfig.js';
import { type Clock, localDay, systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { sendMessage } from '../messages/send.js';
import { buildReport } from './build.js';
import { formatReport } from './format.js';

const DAY_MS = 86_400_000;

/**
 * The morning report as an info message, over the last 24 hours. Sent at most
 * once per local day, whoever asks (the tick's daily step, or two ticks that
 * raced): the message's de-duplication key is the day.
 */
export async function sendDailyReport(
  layout: Layout,
  config: Pick<Config, 'review'>,
  clock: Clock = systemClock,
): Promise<{ file: string; sent: boolean }> {
  const now = clock.now();
  const report = await buildReport(layout, { since: new Date(now.getTime() - DAY_MS), now, config });
  const day = localDay(now);
  return sendMessage(
    layout,
    {
      type: 'info',
      title: `Fleet report ${day}: ${report.tasks.merged.length} merged, ${report.tasks.failed.length} failed, $${report.cost.total_usd.toFixed(2)}`,
      body: `${formatReport(report)}\nThe same with another window: \`tickfleet report --since 24h\`.`,
      from: 'tickfleet',
      dedupeKey: `daily-report:${day}`,
    },
    { clock },
  );
}
