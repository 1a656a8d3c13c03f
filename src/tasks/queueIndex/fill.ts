import path from 'node:path';
import type { TaskState } from '../../core/paths.js';
import { QueueFileError, readTextSync } from '../../core/queueFolder.js';
import { pick, summarizeTask } from '../scan.js';
import { quickEntry } from './entry.js';
import { applyLine, type Entry, type IndexModel, type PatchLine } from './model.js';

/**
 * Summaries for entries recorded without one (the fast reader was unsure
 * when the file was written): the full parse, once, recorded. Undefined
 * when every entry has one.
 */
export async function fillUnknown(model: IndexModel, state: TaskState, dir: string): Promise<PatchLine | undefined> {
  const f = model.folders[state];
  const unknown = [...f.files].filter(([, e]) => !e.s && !e.bad).map(([name]) => name);
  if (unknown.length === 0) return undefined;
  const { parseTask } = await import('../format.js');
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
