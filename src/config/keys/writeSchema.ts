import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIfExists, writeFileAtomic } from '../../core/atomicFile.js';
import { packageRoot } from '../../core/paths.js';
import { renderJsonSchema } from './jsonSchema.js';
import { renderKeyReferenceDoc, withKeyTable } from './keyReference.js';

/**
 * Regenerate what is derived from the key table and committed:
 * schema/agents.schema.json, docs/config-keys.md and, once README.md has the
 * config-keys markers, the table between them. A test fails while any of
 * them is out of date. Run: `npm run build && node dist/config/keys/writeSchema.js`.
 */
export async function writeGeneratedConfigFiles(root = packageRoot()): Promise<string[]> {
  const written: string[] = [];
  const put = async (rel: string, content: string) => {
    const file = path.join(root, rel);
    if ((await readIfExists(file)) === content) return;
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, content, { overwrite: true });
    written.push(rel);
  };
  await put(path.join('schema', 'agents.schema.json'), renderJsonSchema());
  await put(path.join('docs', 'config-keys.md'), renderKeyReferenceDoc());
  const readme = await readIfExists(path.join(root, 'README.md'));
  const updated = readme === undefined ? undefined : withKeyTable(readme);
  if (updated !== undefined) await put('README.md', updated);
  return written;
}

// Run as a script (node dist/config/keys/writeSchema.js), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeGeneratedConfigFiles().then(
    (written) => process.stdout.write(written.length > 0 ? `updated ${written.join(', ')}\n` : 'already up to date\n'),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
