import { recordClientGroup } from '../agents/state.js';
import type { Layout } from '../core/paths.js';
import { processStartTime } from '../core/processInfo.js';

/** The client leads its own process group (pgid = its pid): record it with its start time on the run. */
export async function recordClientSpawn(layout: Layout, agent: string, runId: string, pid: number): Promise<void> {
  const start = await processStartTime(pid);
  // Gone already: its run ends on its own, nothing to record.
  if (start === undefined) return;
  await recordClientGroup(layout, agent, runId, pid, start);
}
