import { type ProcessIdentity, processStartTime } from '../core/processInfo.js';
import { groupAlive, terminateGroup } from '../process/group.js';

export type GroupEnd = 'gone' | 'terminated' | 'killed' | 'not-ours';

/**
 * End a process group recorded earlier as `{pid: pgid, start: leader's start}`:
 * SIGTERM, then SIGKILL after `graceMs`. A leader alive with another start
 * time means the pid was reused: that group is someone else's and is left
 * alone. A dead leader with members left is still the recorded group (the
 * kernel does not hand out a pid that is still some group's id).
 */
export async function endRecordedGroup(group: ProcessIdentity, graceMs: number): Promise<GroupEnd> {
  const leaderStart = await processStartTime(group.pid);
  if (leaderStart !== undefined && (group.start === 'unknown' || leaderStart !== group.start)) return 'not-ours';
  if (!(await groupAlive(group.pid))) return 'gone';
  return (await terminateGroup(group.pid, graceMs)) ? 'killed' : 'terminated';
}
