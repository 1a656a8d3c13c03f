import type { Config } from '../../src/config/agentsConfig.js';
import { validateConfig } from '../../src/config/validate/validate.js';

/** A resolved Config from agents.yaml text; fails the test with every problem listed. */
export function configFrom(yaml: string): Config {
  const { config, problems } = validateConfig(yaml, '/project/.orchestrator/agents.yaml');
  if (!config || problems.length > 0) {
    throw new Error(
      `test config does not validate:\n${problems.map((p) => `${p.line ?? '?'} ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return config;
}
