import { agentRules } from './agentRules.js';
import { type RawConfig, RuleContext, type RuleOptions } from './ruleContext.js';
import { sectionRules } from './sectionRules.js';

/** The cross-field rules, run on a value the key checker has already passed. */
export function runRules(raw: RawConfig, lines: ReadonlyMap<string, number>, options: RuleOptions): RuleContext {
  const ctx = new RuleContext(raw, lines, options);
  agentRules(ctx);
  sectionRules(ctx);
  return ctx;
}
