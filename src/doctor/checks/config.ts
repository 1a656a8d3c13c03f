import type { Config } from '../../config/agentsConfig.js';
import { checkConfigFile, configLabel, readConfigText } from '../../config/load.js';
import { formatProblem } from '../../config/validate/validate.js';
import type { Layout } from '../../core/paths.js';
import type { Finding } from '../finding.js';

export interface ConfigCheck {
  findings: Finding[];
  /** The resolved config, when agents.yaml validates. */
  config?: Config;
  /** The file's text, when it could be read (for lenient reads of a broken file). */
  text?: string;
}

/** Every problem and warning of agents.yaml, one finding each, with the line and the allowed values. */
export async function checkConfig(layout: Layout): Promise<ConfigCheck> {
  let text: string;
  try {
    text = await readConfigText(layout);
  } catch (err) {
    return {
      findings: [
        {
          check: 'config',
          severity: 'error',
          found: (err as Error).message,
          fix: 'run `tickfleet init` in the project',
        },
      ],
    };
  }
  const label = configLabel(layout);
  const result = await checkConfigFile(layout, text);
  const findings: Finding[] = [
    ...result.problems.map(
      (p): Finding => ({
        check: 'config',
        severity: 'error',
        found: formatProblem(p, label),
        fix: `edit ${label}; the fleet does nothing until it validates (\`tickfleet config check\`)`,
      }),
    ),
    ...result.warnings.map(
      (p): Finding => ({
        check: 'config',
        severity: 'warn',
        found: formatProblem(p, label),
        fix: `edit ${label} if that is not what you meant`,
      }),
    ),
  ];
  if (result.config) {
    const n = result.config.agents.length;
    findings.unshift({
      check: 'config',
      severity: 'ok',
      found: `${label} is valid: ${n} agent${n === 1 ? '' : 's'}${result.config.paused ? ', fleet paused (paused: true)' : ''}`,
    });
    return { findings, config: result.config, text };
  }
  return { findings, text };
}
