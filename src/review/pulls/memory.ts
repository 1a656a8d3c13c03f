import path from 'node:path';
import { readJsonIfExists, writeJsonAtomic } from '../../core/atomicFile.js';
import type { Layout } from '../../core/paths.js';
import type { PullMemory } from './events.js';
import type { PullState } from './pullState.js';

/** PR number → what was acted on for it. Only the tick writes it, under the tick lock. */
export type PullMemories = Record<string, PullMemory>;

export function memoryFile(layout: Layout): string {
  return path.join(layout.dir, 'pr-follow.json');
}

export async function readPullMemories(layout: Layout): Promise<PullMemories> {
  return (await readJsonIfExists<{ prs?: PullMemories }>(memoryFile(layout)))?.prs ?? {};
}

/**
 * Save the memories, dropping those of PRs that ended and left the poll's
 * window: the file stays as small as the poll.
 */
export async function writePullMemories(
  layout: Layout,
  memories: PullMemories,
  polled: readonly PullState[],
): Promise<void> {
  const seen = new Set(polled.map((pr) => String(pr.number)));
  const kept = Object.fromEntries(
    Object.entries(memories).filter(
      ([n, m]) => seen.has(n) || !(m.done.includes('merged') || m.done.includes('closed')),
    ),
  );
  await writeJsonAtomic(memoryFile(layout), { prs: kept });
}
