import { type Stats, statSync } from 'node:fs';
import { readHeadSync } from '../../core/queueFolder.js';
import { summarizeTask } from '../scan.js';
import type { Entry } from './model.js';
import { fileKey, keyMs, RACY_MS } from './stamp.js';

// Front matter and header lines sit at the top: one small read per file is usually enough.
const HEAD_BYTES = 4096;
let buffer: Buffer | undefined;

/**
 * A file's entry from its head and the fast reader (scan.ts), keyed by the
 * stat taken before the read: a change during the read gives a key that no
 * longer matches, so it is read again. No summary when the fast reader is
 * unsure (the caller runs the full parse, or leaves it for the next listing).
 * Undefined when the file is gone.
 */
export function quickEntry(file: string, st?: Stats): Entry | undefined {
  const stat = st ?? statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const k = fileKey(stat);
  const entry: Entry = { k };
  if (Date.now() - keyMs(k) < RACY_MS) entry.racy = true;
  buffer ??= Buffer.allocUnsafe(HEAD_BYTES);
  const head = readHeadSync(file, buffer);
  if (!head) return undefined;
  const id = file.slice(file.lastIndexOf('/') + 1, -3);
  // A head cut mid-file: drop its last, possibly partial, line; the metadata must end before it.
  const text = head.whole ? head.text : head.text.slice(0, head.text.lastIndexOf('\n') + 1);
  const s = summarizeTask(text, id, !head.whole);
  if (s) entry.s = s;
  return entry;
}
