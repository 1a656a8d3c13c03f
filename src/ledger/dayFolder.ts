import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile.js';
import { localDay } from '../core/clock.js';
import { errnoCode } from '../core/errors.js';

/**
 * Records kept one JSON file each in a folder per local day
 * (`<root>/YYYY-MM-DD/<id>.json`): a day's records are one small folder to
 * read, whatever the history holds. The run ledger and the merge-queue's
 * batch records both keep this shape.
 */
export async function writeDayRecord(root: string, startedAt: string, id: string, record: unknown): Promise<string> {
  const dir = path.join(root, localDay(new Date(startedAt)));
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { overwrite: true });
  return file;
}

/** A day's records in file-name order; a file that cannot be read is skipped (`tickfleet doctor` reports it). */
export async function readDayRecords<T>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const records: T[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    try {
      records.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as T);
    } catch {
      // Half-written by hand or damaged: skipped here, reported by doctor.
    }
  }
  return records;
}
