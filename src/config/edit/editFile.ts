import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { ExitError } from '../../core/errors.js';
import { withLock } from '../../core/lock.js';
import type { Layout } from '../../core/paths.js';
import type { Config, ConfigProblem } from '../agentsConfig.js';
import type { Spec } from '../keys/spec.js';
import { CONFIG_SPEC } from '../keys/table.js';
import { checkConfigFile, configLabel, problemsError, readConfigText } from '../load.js';
import { type ParsedYaml, parseYaml } from '../parse.js';
import { plural } from '../validate/validate.js';
import { pairOf } from './yamlText.js';

export interface EditResult {
  /** False when the file already said this; nothing was written. */
  changed: boolean;
  /** What changed, old → new: `impl-agent-1: interval_seconds 180 → 300`. */
  description: string;
  /** Warnings of the file as written. */
  warnings: ConfigProblem[];
}

/** One edit: the new text, and how to describe it once the result is known to be valid. */
export interface EditPlan {
  text: string;
  describe: (config: Config) => string;
}

/**
 * Read agents.yaml, compute the edited text, validate it, and write it
 * atomically only if it has no problems; otherwise refuse with all of them and
 * leave the file as it was. Edits are serialised so two commands run at the
 * same time cannot lose one another's change.
 */
export async function editConfigFile(
  layout: Layout,
  plan: (parsed: ParsedYaml) => EditPlan | { unchanged: string },
): Promise<EditResult> {
  // Fail before taking the lock: locking would create .orchestrator/ in a project that has none.
  await readConfigText(layout);
  return withLock(path.join(layout.locks, 'agents-yaml'), async () => {
    const text = await readConfigText(layout);
    const parsed = parseYaml(text);
    if (parsed.syntax.length > 0)
      throw problemsError(
        layout,
        parsed.syntax,
        `not changed: it is not valid YAML (${plural(parsed.syntax.length, 'problem')})`,
      );
    const edit = plan(parsed);
    if ('unchanged' in edit) {
      const { warnings } = await checkConfigFile(layout, text);
      return { changed: false, description: edit.unchanged, warnings };
    }
    const result = await checkConfigFile(layout, edit.text);
    if (!result.config)
      throw problemsError(
        layout,
        result.problems,
        `not changed: the result would have ${plural(result.problems.length, 'problem')}`,
      );
    await writeFileAtomic(layout.agentsYaml, edit.text, { overwrite: true });
    return { changed: true, description: edit.describe(result.config), warnings: result.warnings };
  });
}

/** An agent's entry in the raw document, by name; an unknown name is a one-line error naming the known ones. */
export function findAgent(layout: Layout, parsed: ParsedYaml, name: string): { index: number; map: YAMLMap } {
  const entries = agentEntries(parsed);
  const index = entries.findIndex((e) => e.name === name);
  if (index === -1) {
    const known = entries.flatMap((e) => (e.name === undefined ? [] : [e.name]));
    throw new ExitError(
      `no agent named "${name}" in ${configLabel(layout)}; ${known.length > 0 ? `known agents: ${known.join(', ')}` : 'it has no agents'}`,
    );
  }
  return { index, map: entries[index]!.map! };
}

export function agentEntries(parsed: ParsedYaml): { name?: string; map?: YAMLMap }[] {
  const root = parsed.doc.contents;
  const agents = isMap(root) ? pairOf(root, 'agents')?.value : undefined;
  if (!isSeq(agents)) return [];
  return (agents.items as Node[]).map((item) => {
    if (!isMap(item)) return {};
    const name = scalarIn(item, 'name');
    return { map: item, ...(typeof name === 'string' ? { name } : {}) };
  });
}

/** The value written at `key` of a map, or undefined. */
function scalarIn(map: YAMLMap | undefined, key: string): unknown {
  const value = map ? pairOf(map, key)?.value : undefined;
  return isScalar(value) ? value.value : undefined;
}

/** A written value, or the key table's default where nothing is written. */
export function currentValue(map: YAMLMap | undefined, key: string, specPath: string[]): unknown {
  return scalarIn(map, key) ?? defaultAt(specPath);
}

function defaultAt(specPath: string[]): unknown {
  let spec: Spec | undefined = CONFIG_SPEC;
  for (const key of specPath) {
    if (spec?.kind === 'objectList') spec = spec.items;
    spec = spec?.kind === 'object' ? spec.fields[key] : undefined;
  }
  return spec?.default;
}

/** A value in a change description: strings quoted, so `"5m" → 300` shows what was wrong. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
