import type { Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';

/** What every step of the merge queue is given. */
export interface QueueContext {
  layout: Layout;
  config: Config;
  clock: Clock;
  log: (line: string) => void;
  /** The process running the queue (it holds the merge-queue lock). */
  owner: ProcessIdentity;
  /** Make fix and conflict tasks for branches that go back (`review approve --no-rework` turns it off). */
  rework: boolean;
  /** Who asked (a person's `review approve`): written as the creator of the fix tasks. */
  actor?: string;
}

/** Who the queue's tasks and messages are from. */
export const MERGE_QUEUE = 'merge-queue';
