import { promises as fs } from 'node:fs';
import path from 'node:path';
import { moveNoClobber, readIfExists, writeFileAtomic } from '../core/atomicFile.js';
import { ExitError } from '../core/errors.js';
import { SAFE_ID } from '../core/ids.js';
import { withLock } from '../core/lock.js';
import type { Layout } from '../core/paths.js';
import { parseReview, type ReviewMeta, type ReviewRecord, type ReviewState, serializeReview } from './record.js';

/**
 * The local review records on disk: `reviews/<state>/REV-<task-id>.md`.
 * Writes are atomic (temp file in `layout.tmp`); moves never clobber and
 * happen under the reviews lock, like the task queue's.
 */
export class ReviewStore {
  constructor(private readonly layout: Layout) {}

  dir(state: ReviewState): string {
    return path.join(this.layout.reviews, state);
  }

  locked<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(path.join(this.layout.locks, 'reviews'), fn);
  }

  async read(state: ReviewState, id: string): Promise<ReviewRecord | undefined> {
    const file = path.join(this.dir(state), `${id}.md`);
    const text = await readIfExists(file);
    return text === undefined ? undefined : parseReview(text, file, state);
  }

  async find(idOrTask: string, states: readonly ReviewState[]): Promise<ReviewRecord | undefined> {
    const id = reviewId(idOrTask);
    for (const state of states) {
      const record = await this.read(state, id);
      if (record) return record;
    }
    return undefined;
  }

  /** Record ids in a folder (archives may hold `REV-x.2` beside `REV-x`). */
  async ids(state: ReviewState): Promise<string[]> {
    try {
      const names = await fs.readdir(this.dir(state));
      return names.filter((n) => n.startsWith('REV-') && n.endsWith('.md')).map((n) => n.slice(0, -3));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async list(state: ReviewState): Promise<ReviewRecord[]> {
    // Read concurrently: the gatekeepers list every pending review on each tick.
    const read = await Promise.all((await this.ids(state)).map((id) => this.read(state, id)));
    const records = read.filter((r): r is ReviewRecord => r !== undefined);
    return records.sort((a, b) => a.meta.created.localeCompare(b.meta.created) || a.meta.id.localeCompare(b.meta.id));
  }

  async write(file: string, meta: ReviewMeta, body: string, overwrite: boolean): Promise<void> {
    await fs.mkdir(this.layout.tmp, { recursive: true });
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, serializeReview(meta, body), { overwrite, tmpDir: this.layout.tmp });
  }

  /** Rewrite a record in place; a change set to undefined removes that key. */
  async rewrite(record: ReviewRecord, changes: Partial<ReviewMeta>): Promise<ReviewRecord> {
    const meta = { ...record.meta, ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete meta[k];
    await this.write(record.file, meta, record.body, true);
    return { ...record, meta };
  }

  /** Move a record; an archive (rejected, merged) may already hold one for the same task from an earlier round. */
  async move(record: ReviewRecord, to: ReviewState): Promise<ReviewRecord> {
    await fs.mkdir(this.dir(to), { recursive: true });
    const archive = to === 'rejected' || to === 'merged';
    for (let n = 1; ; n++) {
      const dest = path.join(this.dir(to), n === 1 ? `${record.meta.id}.md` : `${record.meta.id}.${n}.md`);
      if (archive && n < 1000 && (await readIfExists(dest)) !== undefined) continue;
      await moveNoClobber(record.file, dest);
      return { ...record, state: to, file: dest };
    }
  }
}

/** `REV-<task-id>`; accepts either form. */
export function reviewId(idOrTask: string): string {
  const id = idOrTask.startsWith('REV-') ? idOrTask : `REV-${idOrTask}`;
  if (!SAFE_ID.test(id))
    throw new ExitError(`${JSON.stringify(idOrTask)} is not a valid task or review id (letters, digits, - and _)`);
  return id;
}
