import { readAgentState, updateAgentState } from '../agents/state.js';
import type { Config } from '../config/agentsConfig.js';
import { type Clock, isoSeconds } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import type { ProcessIdentity } from '../core/processInfo.js';
import { type CommandStarter, gatekeeperPass } from '../gatekeeper/pass.js';
import type { GhCall } from '../review/pulls/poll.js';
import { isDue } from './due.js';
import type { TickLog } from './log.js';

/**
 * The gatekeepers' step of a tick, after reconcile: tickfleet's code finds the
 * branches waiting for checks and fans the checks out; no model coordinates.
 * A `gatekeeper_coordinator` agent (seed configs have one) sets how often:
 * its interval, its last pass recorded as its last start. Without one, every tick.
 */
export async function gatekeeperStep(
  layout: Layout,
  config: Config,
  options: {
    clock: Clock;
    log: TickLog;
    startCommand: CommandStarter;
    isAlive?: (id: ProcessIdentity) => Promise<boolean>;
    /** Stand-in for gh publishing verdicts and approving PRs (tests, benchmarks). */
    gh?: GhCall;
  },
): Promise<void> {
  if (!config.gatekeeper.enabled || config.paused) return;
  const now = options.clock.now();
  const coordinator = config.agents.find((a) => a.role === 'gatekeeper_coordinator' && !a.paused);
  if (config.agents.some((a) => a.role === 'gatekeeper_coordinator') && !coordinator) return;
  if (coordinator) {
    if (!isDue(coordinator, await readAgentState(layout, coordinator.name), now)) return;
    await updateAgentState(layout, coordinator.name, (s) => ({ ...s, last_started_at: isoSeconds(now) }));
  }
  try {
    await gatekeeperPass(layout, config, {
      clock: options.clock,
      log: (line) => options.log.info(line),
      startCommand: options.startCommand,
      ...(options.isAlive ? { isAlive: options.isAlive } : {}),
      ...(options.gh ? { gh: options.gh } : {}),
    });
  } catch (err) {
    // The gatekeepers must never stop the rest of the tick; say so and go on.
    options.log.info(`gatekeeper pass failed: ${(err as Error).message}`);
  }
}
