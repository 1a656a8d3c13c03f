import type { Layout } from '../core/paths.js';
import { ReviewStore } from '../review/reviewStore.js';
import type { QueueEntry } from './state.js';

/** The approved local reviews, oldest approval first: nothing waits behind work approved after it. */
export async function approvedEntries(layout: Layout): Promise<QueueEntry[]> {
  const records = await new ReviewStore(layout).list('approved');
  return records
    .map(({ meta }) => ({
      review: meta.id,
      task: meta.task,
      branch: meta.branch,
      base: meta.base,
      head: meta.head,
      approved: String(meta.approved ?? meta.created),
    }))
    .sort((a, b) => a.approved.localeCompare(b.approved) || a.review.localeCompare(b.review));
}
