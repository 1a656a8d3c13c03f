import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../config/agentsConfig.js';
import { ExitError } from '../core/errors.js';
import { type Layout, packageRoot } from '../core/paths.js';

/**
 * Where an agent's role prompt comes from, most specific first: the project's
 * `.orchestrator/prompts/<agent>.md`, then `<focus>.md`, then `<role>.md`, then
 * the shipped `templates/<role>-<focus>.md` and `templates/role-<role>.md`.
 */
export function rolePromptCandidates(
  layout: Layout,
  agent: AgentConfig,
  templatesDir = path.join(packageRoot(), 'templates'),
): string[] {
  const project = [agent.name, agent.focus, agent.role]
    .filter((x): x is string => !!x)
    .map((n) => path.join(layout.prompts, `${n}.md`));
  const shipped = [
    ...(agent.focus ? [path.join(templatesDir, `${agent.role}-${agent.focus}.md`)] : []),
    path.join(templatesDir, `role-${agent.role}.md`),
  ];
  return [...new Set([...project, ...shipped])];
}

export async function loadRolePrompt(
  layout: Layout,
  agent: AgentConfig,
  templatesDir?: string,
): Promise<{ file: string; text: string }> {
  const candidates = rolePromptCandidates(layout, agent, templatesDir);
  const file = candidates.find((c) => existsSync(c));
  if (!file) {
    throw new ExitError(
      `no prompt for agent ${agent.name} (role ${agent.role}${agent.focus ? `, focus ${agent.focus}` : ''}): create ${candidates[0]}`,
    );
  }
  return { file, text: (await fs.readFile(file, 'utf8')).trim() };
}
