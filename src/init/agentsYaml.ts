import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists, writeFileAtomic } from '../core/atomicFile.js';
import { ExitError } from '../core/errors.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { realOrResolved } from '../core/realPath.js';
import type { InitItem } from './actions.js';
import { relPath } from './tree.js';

export function defaultAgentsYamlTemplate(): string {
  return path.join(packageRoot(), 'templates', 'agents.yaml');
}

/**
 * Where the `$schema` comment of agents.yaml points. Relative when the package
 * is inside the project (`../orchestrator/schema/...` for a submodule,
 * `../node_modules/tickfleet/schema/...` for an npm install), so the committed
 * file works on every clone; absolute only for a package outside the project.
 */
export function schemaReference(layout: Layout, pkgRoot = packageRoot()): string {
  const schema = path.join(realOrResolved(pkgRoot), 'schema', 'agents.schema.json');
  const root = realOrResolved(layout.root);
  if (!isInside(root, schema)) return schema;
  return path
    .relative(path.join(root, path.relative(layout.root, layout.dir)), schema)
    .split(path.sep)
    .join('/');
}

export async function renderDefaultAgentsYaml(layout: Layout): Promise<string> {
  const template = await readIfExists(defaultAgentsYamlTemplate());
  if (template === undefined)
    throw new ExitError(`${defaultAgentsYamlTemplate()} is missing: the tickfleet package is incomplete`);
  return template.replace('{{SCHEMA}}', schemaReference(layout));
}

/** Write the default agents.yaml unless there is one; never replace the user's. */
export async function ensureAgentsYaml(layout: Layout): Promise<InitItem> {
  const rel = relPath(layout, layout.agentsYaml);
  const ours = await renderDefaultAgentsYaml(layout);
  const existing = await readIfExists(layout.agentsYaml);
  if (existing === undefined) {
    await fs.mkdir(layout.dir, { recursive: true });
    try {
      await writeFileAtomic(layout.agentsYaml, ours);
      return { path: rel, kind: 'config', action: 'created' };
    } catch (err) {
      // Written by a concurrent init between our read and our write: theirs stands.
      if (!(err instanceof ExitError) || (await readIfExists(layout.agentsYaml)) === undefined) throw err;
      return { path: rel, kind: 'config', action: 'unchanged' };
    }
  }
  // The schema line depends on where the package sits; moving it is not an edit.
  return withoutSchemaLine(existing) === withoutSchemaLine(ours)
    ? { path: rel, kind: 'config', action: 'unchanged' }
    : { path: rel, kind: 'config', action: 'kept', detail: 'edited' };
}

function withoutSchemaLine(text: string): string {
  return text.replace(/^# yaml-language-server: \$schema=.*\n/, '');
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
