import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile.js';

/**
 * Replace the textfile in one rename: the temp file is written and synced in
 * the same folder (same filesystem), and its name (`.<name>.<random>.tmp`)
 * does not end in `.prom`, so node_exporter never reads a partial file.
 */
export async function writeMetricsTextfile(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text, { overwrite: true });
}
