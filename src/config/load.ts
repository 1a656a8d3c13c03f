import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists } from '../core/atomicFile.js';
import { ExitError, errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import type { Config, ConfigProblem } from './agentsConfig.js';
import { formatProblem, plural, type ValidationResult, validateConfig } from './validate/validate.js';

export interface LoadedConfig {
  config: Config;
  warnings: ConfigProblem[];
}

/** How messages name agents.yaml: relative to the project root (`.orchestrator/agents.yaml`). */
export function configLabel(layout: Layout): string {
  return path.relative(layout.root, layout.agentsYaml).split(path.sep).join('/');
}

/**
 * Read and validate the project's agents.yaml. Every problem at once, or the
 * resolved Config and its warnings; reads only, never writes.
 */
export async function loadConfig(layout: Layout): Promise<LoadedConfig> {
  const result = await checkConfigFile(layout);
  if (!result.config) throw problemsError(layout, result.problems);
  return { config: result.config, warnings: result.warnings };
}

/** validateConfig on the project's file, with what the rules need to know about the project. */
export async function checkConfigFile(layout: Layout, text?: string): Promise<ValidationResult> {
  const content = text ?? (await readConfigText(layout));
  return validateConfig(content, layout.agentsYaml, { promptNames: await promptNames(layout) });
}

export async function readConfigText(layout: Layout): Promise<string> {
  let text: string | undefined;
  try {
    text = await readIfExists(layout.agentsYaml);
  } catch (err) {
    throw new ExitError(`cannot read ${layout.agentsYaml}: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined)
    throw new ExitError(`${layout.agentsYaml} not found: run \`tickfleet init\` in ${layout.root} first`);
  return text;
}

/** `<file>: N problems`, with one detail line per problem. */
export function problemsError(
  layout: Layout,
  problems: ConfigProblem[],
  headline = `${plural(problems.length, 'problem')}`,
): ExitError {
  const label = configLabel(layout);
  return new ExitError(`${layout.agentsYaml}: ${headline}`, { details: problems.map((p) => formatProblem(p, label)) });
}

/** Prompt files in .orchestrator/prompts/ (names without `.md`): a custom proposer focus needs one. */
export async function promptNames(layout: Layout): Promise<Set<string>> {
  try {
    const names = await fs.readdir(layout.prompts);
    return new Set(names.filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return new Set();
    throw err;
  }
}
