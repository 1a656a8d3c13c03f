import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setFleetPaused } from '../config/edit/edit.js';
import type { Layout } from '../core/paths.js';
import { readSentKeys } from '../messages/sentKeys.js';
import { listTasks } from '../tasks/list.js';
import { updateTask } from '../tasks/update.js';
import { clearFleetPause, type FleetPause, PAUSE_MESSAGE_KEY } from './pause.js';

export interface ResumeResult {
  /** The usage-limit or endpoint pause that was cleared, if any. */
  pause?: FleetPause;
  /** Tasks the pause held back (not_before at its end), now claimable again. */
  freed: string[];
  /** Pause messages removed from .orchestrator/messages/: the pause they announce is over. */
  messagesRemoved: number;
  /** The `paused: true` edit of agents.yaml, as setFleetPaused reports it. */
  config: Awaited<ReturnType<typeof setFleetPaused>>;
}

/**
 * `tickfleet resume-fleet`: clear `paused: true`, the fleet pause a limit or
 * a dead endpoint set, the not_before of the tasks released under that
 * pause (they would otherwise wait until its end), and its message, so that
 * `status` no longer warns about a pause that is over.
 */
export async function resumeFleet(layout: Layout): Promise<ResumeResult> {
  const pause = await clearFleetPause(layout);
  const freed: string[] = [];
  let messagesRemoved = 0;
  if (pause) {
    const untils = new Set([pause.until, ...(pause.earlier_until ?? [])].map(ms));
    const { tasks } = await listTasks(layout, { states: ['incoming'] });
    for (const task of tasks) {
      if (!task.not_before || !untils.has(ms(task.not_before))) continue;
      // Checked again under the lock: a task claimed or re-timed meanwhile is left alone.
      await updateTask(layout, task.id, (t) => {
        if (t.state === 'incoming' && t.not_before && untils.has(ms(t.not_before))) delete t.not_before;
      });
      freed.push(task.id);
    }
    messagesRemoved = await removePauseMessages(layout, pause);
  }
  const config = await setFleetPaused(layout, false);
  return { ...(pause ? { pause } : {}), freed, messagesRemoved, config };
}

function ms(iso: string): number {
  return new Date(iso).getTime();
}

async function removePauseMessages(layout: Layout, pause: FleetPause): Promise<number> {
  const keys = await readSentKeys(layout);
  let removed = 0;
  for (const until of [pause.until, ...(pause.earlier_until ?? [])]) {
    const sent = keys[`${PAUSE_MESSAGE_KEY}${until}`];
    if (!sent) continue;
    const file = path.join(layout.messages, sent.file);
    const existed = await fs.stat(file).then(
      () => true,
      () => false,
    );
    await fs.rm(file, { force: true });
    if (existed) removed++;
  }
  return removed;
}
