import type { DailyReportWriter } from '../scheduler/dailyStep.js';

/** The tick's daily report (src/report/, a layer above the scheduler), loaded only on the tick that writes it. */
export const writeDailyReport: DailyReportWriter = async (layout, config, clock) => {
  const { sendDailyReport } = await import('../report/daily.js');
  return sendDailyReport(layout, config, clock);
};
