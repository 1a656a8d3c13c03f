import path from 'node:path';
import type { Layout } from '../core/paths.js';
import { fileOf, listIds, readTextSync } from '../core/queueFolder.js';
import { locate } from '../core/queueLookup.js';
import { quarantineFile } from '../core/queueMoves.js';
import { taskQueue } from './folders.js';
import { notFound, withTaskLock } from './store.js';

export interface QuarantinedFile {
  file: string;
  /** The reason written beside it (`<file>.reason`), when there is one. */
  reason?: string;
}

/** Take a task out of the queue by hand, with the reason beside it. Returns the new path. */
export async function quarantineTask(layout: Layout, id: string, reason: string): Promise<string> {
  const q = taskQueue(layout);
  return withTaskLock(layout, async () => {
    const where = locate(q, id);
    if (!where) throw notFound(id);
    return quarantineFile(q, where.file, reason);
  });
}

export function listQuarantined(layout: Layout): QuarantinedFile[] {
  const q = taskQueue(layout);
  return listIds(q, 'quarantine').map((name) => {
    const file = fileOf(q, 'quarantine', name);
    const reason = readTextSync(`${file}.reason`)?.trim();
    return reason === undefined ? { file: path.resolve(file) } : { file: path.resolve(file), reason };
  });
}
