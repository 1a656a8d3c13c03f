import { SAFE_ID } from '../core/ids.js';
import { ProblemError } from './problem.js';

/** A task id as tickfleet makes them (`TASK-a1b2c3d4`); hand-written ids only need to be safe file names. */
const TASK_ID_HINT = 'a task id such as TASK-a1b2c3d4';

/**
 * A path parameter that names a file: checked before anything touches the
 * file system, so `../x` or `a/b` never reaches a path join.
 */
export function safeId(value: string | undefined, field: string, hint = TASK_ID_HINT): string {
  if (value === undefined || !SAFE_ID.test(value))
    throw new ProblemError(400, `${field}: ${JSON.stringify(value ?? '')} is not ${hint}`, { field });
  return value;
}

/** An agent name as agents.yaml allows them. */
export function agentName(value: string | undefined): string {
  return safeId(value, 'name', 'an agent name (letters, digits, - and _)');
}
