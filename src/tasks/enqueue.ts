import { COMMAND_TASK_ROLE } from '../config/commandTasks.js';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { newTaskId, SAFE_ID } from '../core/ids.js';
import { type Layout, TASK_STATES } from '../core/paths.js';
import { listIds } from '../core/queueFolder.js';
import { locate } from '../core/queueLookup.js';
import { writeNew } from '../core/queueMoves.js';
import { taskQueue } from './folders.js';
import { parseTask, serializeTask } from './format.js';
import { PRIORITIES } from './priority.js';
import { withTaskLock } from './store.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_PRIORITY, type Task, type TaskFields, type TaskInput } from './task.js';

export interface EnqueueOptions {
  clock?: Clock;
  /** Creation backpressure: incoming + claimed < maxIncoming. */
  limits?: { maxIncoming?: number };
}

/** Validate a new task and write it to incoming/ (never over an existing file). */
export async function enqueueTask(layout: Layout, input: TaskInput, options: EnqueueOptions = {}): Promise<Task> {
  validateInput(input);
  return withTaskLock(layout, () => enqueueTaskLocked(layout, input, options));
}

/** enqueueTask for a caller that holds the queue lock already (a runner's fenced follow-up). */
export async function enqueueTaskLocked(layout: Layout, input: TaskInput, options: EnqueueOptions = {}): Promise<Task> {
  validateInput(input);
  const q = taskQueue(layout);
  for (const dep of input.blocked_by ?? []) {
    if (!locate(q, dep))
      throw new ExitError(`blocked_by: ${dep} is not a known task (not in ${TASK_STATES.join(', ')})`);
  }
  const max = options.limits?.maxIncoming;
  if (max !== undefined) {
    const open = listIds(q, 'incoming').length + listIds(q, 'claimed').length;
    if (open >= max)
      throw new ExitError(
        `max_incoming reached: ${open}/${max} tasks in incoming + claimed; add more once some are done`,
      );
  }
  let id = newTaskId();
  while (locate(q, id)) id = newTaskId();
  const fields: TaskFields = {
    id,
    title: input.title.trim(),
    role: input.role,
    priority: input.priority ?? DEFAULT_PRIORITY,
    branch: input.branch,
    created: isoSeconds((options.clock ?? systemClock).now()),
    created_by: input.created_by,
    blocked_by: [...(input.blocked_by ?? [])],
    expedite: input.expedite ?? false,
    attempts: 0,
    max_attempts: input.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    skip_pr: input.skip_pr,
    plan: input.plan,
    plan_job: input.plan_job,
    lane: input.lane,
    parent: input.parent,
    command: input.command,
  };
  const text = serializeTask({ ...fields, body: input.body ?? defaultBody(input), state: 'incoming', file: '' });
  const file = await writeNew(q, 'incoming', id, text);
  return parseTask(text, file, 'incoming');
}

function defaultBody(input: TaskInput): string {
  const criteria = (input.acceptance ?? []).map((c) => `- [ ] ${c}`).join('\n');
  return `\n## Context\n${input.context?.trim() ?? ''}\n\n## Acceptance Criteria\n${criteria}\n`;
}

function validateInput(input: TaskInput): void {
  const fail = (msg: string): never => {
    throw new ExitError(`task ${msg}`);
  };
  if (typeof input.title !== 'string' || input.title.trim() === '') fail('title is empty; give a one-line title');
  if (/[\r\n]/.test(input.title.trim()))
    fail(`title must be one line, got ${JSON.stringify(input.title.slice(0, 60))}`);
  if (typeof input.role !== 'string' || !/^[A-Za-z0-9_-]+$/.test(input.role))
    fail(`role must be one word such as implement, test or review, got ${JSON.stringify(input.role)}`);
  if (typeof input.created_by !== 'string' || input.created_by.trim() === '')
    fail('created_by is empty; name the agent or person creating it');
  if (input.branch !== undefined && !/^[^\s]+$/.test(input.branch))
    fail(`branch must be a branch name such as main, got ${JSON.stringify(input.branch)}`);
  if (input.priority !== undefined && !PRIORITIES.includes(input.priority))
    fail(`priority must be one of ${PRIORITIES.join(', ')}, got ${JSON.stringify(input.priority)}`);
  if (input.max_attempts !== undefined && !(Number.isInteger(input.max_attempts) && input.max_attempts >= 1))
    fail(`max_attempts must be a whole number >= 1, got ${input.max_attempts}`);
  for (const dep of input.blocked_by ?? []) {
    if (typeof dep !== 'string' || !SAFE_ID.test(dep))
      fail(`blocked_by: ${JSON.stringify(dep)} is not a task id (for example TASK-a1b2c3d4)`);
  }
  if (input.lane !== undefined && !LANE.test(input.lane))
    fail(
      `lane must be one word of letters, digits, ".", "-" or "_" (for example 2), got ${JSON.stringify(input.lane)}`,
    );
  const isCommand = input.command !== undefined;
  if (isCommand && (input.command!.trim() === '' || /[\r\n]/.test(input.command!)))
    fail(`command must be one non-empty line, got ${JSON.stringify(input.command!.slice(0, 60))}`);
  // A command task is run by tickfleet, never claimed by an agent: the role and the command go together.
  if (isCommand !== (input.role === COMMAND_TASK_ROLE))
    fail(
      isCommand
        ? `with a command must have role ${COMMAND_TASK_ROLE}, got ${JSON.stringify(input.role)}`
        : `role ${COMMAND_TASK_ROLE} needs a command (\`tickfleet enqueue --command …\`)`,
    );
}

const LANE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
