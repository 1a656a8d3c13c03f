import type { Config, ConfigProblem } from '../agentsConfig.js';
import { CONFIG_SPEC } from '../keys/table.js';
import { parseYaml } from '../parse.js';
import { resolveConfig } from '../resolve.js';
import { KeyChecker } from './keyChecker.js';
import type { RuleOptions } from './ruleContext.js';
import { runRules } from './rules.js';

export interface ValidationResult {
  /** Present only when there are no problems. */
  config?: Config;
  /** Every problem found, in file order; any one of them stops the fleet. */
  problems: ConfigProblem[];
  /** Things that load but are probably not what was meant. */
  warnings: ConfigProblem[];
}

export type ValidateOptions = RuleOptions;

/**
 * Validate the text of an agents.yaml: YAML syntax, then every key against the
 * key table, then the rules that tie keys together. Pure: reads nothing, and
 * `file` only becomes Config.file.
 */
export function validateConfig(text: string, file: string, options: ValidateOptions = {}): ValidationResult {
  const parsed = parseYaml(text);
  // A syntax error makes the structure a guess: report only what is certain.
  if (parsed.syntax.length > 0) return { problems: parsed.syntax, warnings: [] };
  const checker = new KeyChecker(parsed);
  const value = checker.root(CONFIG_SPEC);
  // Not a mapping at all: nothing else can be checked, so say only that.
  if (checker.problems.some((p) => p.path === '')) return { problems: checker.problems, warnings: [] };
  const rules = runRules(value, checker.lines, options);
  const problems = inFileOrder([...checker.problems, ...rules.problems]);
  const warnings = inFileOrder(rules.warnings);
  if (problems.length > 0) return { problems, warnings };
  return { config: resolveConfig(value, file, checker.lines), problems, warnings };
}

function inFileOrder(list: ConfigProblem[]): ConfigProblem[] {
  return list
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);
}

/** One problem as one line: `agents.yaml:14 agents[2].interval_seconds: must be ...`. */
export function formatProblem(problem: ConfigProblem, fileLabel: string): string {
  const where = problem.line === undefined ? fileLabel : `${fileLabel}:${problem.line}`;
  return `${where} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
