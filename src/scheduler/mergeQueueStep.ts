import type { Config } from '../config/agentsConfig.js';
import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { type BatchStarter, spawnBatch } from '../merge-queue/spawnBatch.js';
import { mergeQueueStep } from '../merge-queue/step.js';
import type { TickLog } from './log.js';

/**
 * The merge queue's step of a tick, after the gatekeepers: it recovers a
 * killed batch and starts the queue's detached process when approved
 * branches wait. It must never stop the rest of the tick.
 */
export async function mergeQueueTickStep(
  layout: Layout,
  config: Config,
  options: {
    clock: Clock;
    log: TickLog;
    startBatch?: BatchStarter;
    isAlive?: (id: ProcessIdentity) => Promise<boolean>;
  },
): Promise<void> {
  if (config.paused) return;
  try {
    await mergeQueueStep(layout, config, {
      clock: options.clock,
      log: (line) => options.log.info(line),
      startBatch: options.startBatch ?? spawnBatch,
      ...(options.isAlive ? { isAlive: options.isAlive } : {}),
    });
  } catch (err) {
    // The merge queue must never stop the rest of the tick; say so and go on.
    options.log.info(`merge queue step failed: ${(err as Error).message}`);
  }
}
