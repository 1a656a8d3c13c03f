import path from 'node:path';
import type { TaskState } from '../../core/paths.js';
import { QueueFileError, readTextSync } from '../../core/queueFolder.js';
import { pick, summarizeTask } from '../scan.js';
import type { TaskFields } from '../task.js';
import { quickEntry } from './entry.js';
import { applyLine, type Entry, type IndexModel, type PatchLine } from './model.js';

/** The full parse (format.ts `parseTask`), passed in: loading the YAML parser is left to the callers that need it. */
export type FullParse = (text: string, file: string, state: TaskState) => TaskFields;

/** Entries without a summary and not known to be unreadable. */
export function unknownNames(model: IndexModel, state: TaskState): string[] {
  const f = model.folders[state];
  const out: string[] = [];
  // Counted as entries change (model.ts setEntry): most calls find none without going over the folder.
  if (f.unknown === 0) return out;
  for (const [name, e] of f.files) if (!e.s && e.bad === undefined) out.push(name);
  return out;
}

/**
 * Summaries for entries recorded without one (the fast reader was unsure
 * when the file was written): the full parse, once, recorded. Undefined
 * when every entry has one.
 */
export function fillUnknown(
  model: IndexModel,
  state: TaskState,
  dir: string,
  parseTask: FullParse,
): PatchLine | undefined {
  const unknown = unknownNames(model, state);
  if (unknown.length === 0) return undefined;
  const put: Record<string, Entry> = {};
  const del: string[] = [];
  for (const name of unknown) {
    const file = path.join(dir, name);
    const entry = quickEntry(file);
    const text = entry && readTextSync(file);
    if (!entry || text === undefined) {
      del.push(name);
      continue;
    }
    try {
      entry.s ??= summarizeTask(text, name.slice(0, -3)) ?? pick(parseTask(text, file, state));
    } catch (err) {
      if (!(err instanceof QueueFileError)) throw err;
      entry.bad = err.message;
    }
    put[name] = entry;
  }
  const line: PatchLine = { d: state, at: Date.now(), put, del };
  applyLine(model, line);
  return line;
}
