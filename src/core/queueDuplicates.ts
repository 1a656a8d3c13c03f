import { existsSync } from 'node:fs';
import { fileOf, listFileNames, listIds, type QueueFolders } from './queueFolder.js';
import { checkId } from './queueLookup.js';
import { quarantineFile } from './queueMoves.js';

/**
 * One id held by more than one folder of a queue: a file restored from git or
 * a backup, a copy made by hand, a tool that copied instead of moving. Files
 * are named `<id>.md` and a file whose id differs from its name cannot be
 * read, so one folder never holds an id twice: a duplicate is always across
 * folders. Left alone, every move of that id fails (moves never clobber) and
 * whoever reads it first may read the wrong copy; so one copy is kept, the
 * first of `keepOrder` that holds it, and every other copy goes to
 * quarantine with a reason naming both paths. Nothing is deleted.
 */
export interface DuplicateResolution {
  id: string;
  kept: string;
  quarantined: { from: string; to: string; reason: string }[];
}

/** Resolve `id` if several folders hold it; caller holds the queue lock. */
export async function resolveDuplicate<S extends string>(
  q: QueueFolders<S>,
  id: string,
  keepOrder: readonly S[],
): Promise<DuplicateResolution | undefined> {
  checkId(q, id);
  const copies = keepOrder.filter((s) => existsSync(fileOf(q, s, id)));
  if (copies.length < 2) return undefined;
  const kept = fileOf(q, copies[0]!, id);
  const quarantined: DuplicateResolution['quarantined'] = [];
  for (const state of copies.slice(1)) {
    const from = fileOf(q, state, id);
    const reason = `duplicate: ${id} was in ${from} and also in ${kept}; the copy in ${copies[0]} is kept (order ${keepOrder.join(' > ')}). Compare the two, then delete this one or fold what you need into the kept one`;
    quarantined.push({ from, to: await quarantineFile(q, from, reason), reason });
  }
  return { id, kept, quarantined };
}

/**
 * Resolve every duplicate of the queue; caller holds the lock. The `large`
 * folder (done: thousands of files) is listed once, unsorted, and each id of
 * the other folders looked up in that listing (one readdir costs less than a
 * stat per id), which finds every pair because two copies cannot share one
 * folder.
 */
export async function resolveAllDuplicates<S extends string>(
  q: QueueFolders<S>,
  keepOrder: readonly S[],
  large: S,
): Promise<DuplicateResolution[]> {
  const seen = new Map<string, number>();
  for (const state of keepOrder) {
    if (state === large) continue;
    for (const id of listIds(q, state)) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const inLarge = new Set(listFileNames(q.dir(large)));
  const out: DuplicateResolution[] = [];
  for (const [id, n] of seen) {
    if (n < 2 && !inLarge.has(`${id}.md`)) continue;
    const r = await resolveDuplicate(q, id, keepOrder);
    if (r) out.push(r);
  }
  return out;
}
