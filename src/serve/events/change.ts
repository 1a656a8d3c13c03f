import path from 'node:path';
import { isTempFileName } from '../../core/atomicFile.js';
import { TASK_STATES } from '../../core/paths.js';
import { REVIEW_STATES } from '../../review/record.js';

/** One file event under `.orchestrator/`, as the watchers report it. */
export type FileEvent = 'add' | 'change' | 'unlink';

/** What a file event is about; undefined for files the feed does not follow. */
export type Change =
  | { area: 'task'; folder: string; id: string }
  | { area: 'review'; state: string; id: string }
  | { area: 'agent'; agent: string }
  | { area: 'ledger'; file: string }
  | { area: 'message'; name: string }
  | { area: 'fleet' }
  | { area: 'config' };

const TASK_FOLDERS: readonly string[] = [...TASK_STATES, 'quarantine'];
const REVIEW_FOLDERS: readonly string[] = REVIEW_STATES;

/**
 * Classify a path relative to `.orchestrator/`. Pure, so each rule is tested
 * without a watcher. Temp and dot files (atomic writes in progress) are never
 * changes.
 */
export function classifyChange(relative: string): Change | undefined {
  const parts = relative.split(path.sep);
  const name = parts[parts.length - 1] ?? '';
  if (name.startsWith('.') || isTempFileName(name)) return undefined;
  const [top, second, third, fourth] = parts;
  if (parts.length === 1) {
    if (top === 'fleet.json') return { area: 'fleet' };
    if (top === 'agents.yaml') return { area: 'config' };
    return undefined;
  }
  if (top === 'shared' && parts.length === 4 && name.endsWith('.md')) {
    if (second === 'queue' && TASK_FOLDERS.includes(third!))
      return { area: 'task', folder: third!, id: fourth!.slice(0, -3) };
    if (second === 'reviews' && REVIEW_FOLDERS.includes(third!)) {
      return { area: 'review', state: third!, id: fourth!.slice(0, -3) };
    }
    return undefined;
  }
  if (top === 'agents' && parts.length === 3 && third === 'state.json') return { area: 'agent', agent: second! };
  if (top === 'runs' && parts.length === 3 && name.endsWith('.json')) return { area: 'ledger', file: relative };
  if (top === 'messages' && parts.length === 2 && name.endsWith('.md')) return { area: 'message', name };
  return undefined;
}
