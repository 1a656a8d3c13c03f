import type { Command } from 'commander';
import { register as registerAgentStatus } from './agentStatus.js';
import { register as registerAgents } from './agents.js';
import { register as registerConfig } from './config.js';
import { register as registerDoctor } from './doctor.js';
import { register as registerEnqueue } from './enqueue.js';
import { register as registerInit } from './init.js';
import { register as registerMessages } from './messages.js';
import { register as registerProposals } from './proposals.js';
import { register as registerQueueStatus } from './queueStatus.js';
import { register as registerReview } from './review.js';
import { register as registerRuns } from './runs.js';
import { register as registerScheduler } from './scheduler.js';
import { register as registerServe } from './serve.js';
import { register as registerSetup } from './setup.js';
import { register as registerStatus } from './status.js';
import { register as registerTasks } from './tasks.js';
import { register as registerWatch } from './watch.js';

/**
 * Every subcommand lives in its own file and exports `register(program)`.
 * Add one import and one call per command, in the order `--help` lists them.
 */
export function registerCommands(program: Command): void {
  registerInit(program);
  registerScheduler(program);
  registerWatch(program);
  registerServe(program);
  registerStatus(program);
  registerEnqueue(program);
  registerProposals(program);
  registerQueueStatus(program);
  registerAgentStatus(program);
  registerTasks(program);
  registerAgents(program);
  registerReview(program);
  registerConfig(program);
  registerMessages(program);
  registerRuns(program);
  registerSetup(program);
  registerDoctor(program);
  void program;
}
