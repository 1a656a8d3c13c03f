import path from 'node:path';
import { shellQuote } from '../process/shellQuote.js';
import { script, text, toolUse } from './dsl.js';
import type { Scenario, ScriptedRequest } from './scenario.js';

/**
 * A ready-made implementer: reads the task id and title from the prompt,
 * writes a file in the agent's working directory, commits it with
 * `git add -A && git commit -m "<id>: <title>"`, and ends with a summary.
 * It needs `Write` and `Bash(git add:*)`, `Bash(git commit:*)` allowed.
 */

export interface TaskRef {
  id: string;
  title: string;
}

const ID = /\b(TASK-[A-Za-z0-9_-]+)/;

/** The task named in a prompt: tickfleet's heading, else a header line `# [TASK-x] Title`, else front matter `title:`, else the id. */
export function findTask(prompt: string): TaskRef | undefined {
  // tickfleet's instructions: `## Your task: TASK-x — Title`.
  const heading = /Your task: (TASK-[A-Za-z0-9_-]+) — (.+)/.exec(prompt);
  if (heading) return { id: heading[1]!, title: heading[2]!.trim() };
  const header = /\[(TASK-[A-Za-z0-9_-]+)\]\s*(.+)/.exec(prompt);
  if (header) return { id: header[1]!, title: header[2]!.trim() };
  const id = ID.exec(prompt)?.[1];
  if (id === undefined) return undefined;
  const title = /^\s*title:\s*["']?(.+?)["']?\s*$/m.exec(prompt)?.[1];
  return { id, title: title ?? `work on ${id}` };
}

export interface ImplementerOptions {
  /** Path of the file written, relative to the working directory. Default `changes/<id>.md`. */
  file?: (task: TaskRef) => string;
  /** Content written. */
  content?: (task: TaskRef) => string;
}

/** Quote for a POSIX shell: the model would write the same. */
function taskOf(req: ScriptedRequest): TaskRef {
  return findTask(req.firstUserText) ?? { id: 'TASK-unknown', title: 'unnamed task' };
}

export function implementerScenario(options: ImplementerOptions = {}): Scenario {
  const fileOf = options.file ?? ((t: TaskRef) => path.join('changes', `${t.id}.md`));
  const contentOf = options.content ?? ((t: TaskRef) => `# ${t.id}\n\n${t.title}\n`);
  return script(
    toolUse('Write', (req) => {
      const task = taskOf(req);
      // An absolute path when the client told us its cwd; the client resolves
      // a relative one against its cwd too.
      const rel = fileOf(task);
      return { file_path: req.cwd ? path.join(req.cwd, rel) : rel, content: contentOf(task) };
    }),
    toolUse('Bash', (req) => {
      const task = taskOf(req);
      return {
        command: `git add -A && git commit -m ${shellQuote(`${task.id}: ${task.title}`, { always: true })}`,
        description: 'Commit the change',
      };
    }),
    text((req) => {
      const task = taskOf(req);
      const commit = req.lastToolResults[0];
      const committed = commit !== undefined && !commit.isError;
      return committed
        ? `Implemented ${task.id} (${task.title}): wrote ${fileOf(task)} and committed it.`
        : `Could not commit ${task.id}: ${commit?.content ?? 'no result from git'}`;
    }),
  );
}
