import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../config/agentsConfig.js';
import { readIfExists } from '../core/atomicFile.js';
import { type Layout, packageRoot } from '../core/paths.js';
import { ROLE_SPECS } from '../roles/registry.js';
import type { Task } from '../tasks/task.js';
import type { AgentPorts } from './ports.js';
import { renderTemplate } from './template.js';

export const INSTRUCTIONS_FILE = '.agent-instructions.md';

export interface InstructionsInput {
  layout: Layout;
  agent: AgentConfig;
  runId: string;
  worktree: string;
  baseBranch: string;
  ports: AgentPorts;
  rolePrompt: string;
  task?: Task;
  /** Role-specific material (proposals to curate, earlier rejections, a PR to check). */
  extraSections?: string[];
  templatesDir?: string;
}

/**
 * The agent's instructions: identity, role, task, constraints and the
 * project's global instructions. Written to `.agent-instructions.md` in the
 * worktree (the file the project's claude.md points agents at) and sent as the prompt on stdin, so the model has it
 * whether or not the project's claude.md points at the file.
 */
export async function buildInstructions(input: InstructionsInput): Promise<string> {
  const templatesDir = input.templatesDir ?? path.join(packageRoot(), 'templates');
  const templateFile = path.join(templatesDir, 'agent_instructions.md.tmpl');
  const template = await fs.readFile(templateFile, 'utf8');
  const global = (await readIfExists(input.layout.globalInstructions))?.trim();
  const text = renderTemplate(
    template,
    {
      agent: input.agent.name,
      role_title: input.agent.role.replace(/_/g, ' '),
      run_id: input.runId,
      worktree: input.worktree,
      base_branch: input.baseBranch,
      port_dev: String(input.ports.dev),
      port_mcp: String(input.ports.mcp),
      port_playwright: String(input.ports.playwright),
      role_prompt: input.rolePrompt,
      task_section: [input.task ? taskSection(input.task) : '', ...(input.extraSections ?? [])]
        .filter(Boolean)
        .join('\n\n'),
      constraints: constraints(input.agent),
      global_instructions: global ? `## Project instructions\n\n${global}` : '',
    },
    templateFile,
  );
  // Empty sections leave runs of blank lines; keep the file tidy for people reading it.
  return `${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export async function writeInstructions(worktree: string, text: string): Promise<string> {
  const file = path.join(worktree, INSTRUCTIONS_FILE);
  await fs.writeFile(file, text);
  return file;
}

function taskSection(task: Task): string {
  const lines = [`## Your task: ${task.id} — ${task.title}`, ''];
  const facts = [`priority ${task.priority}`, `attempt ${task.attempts + 1} of ${task.max_attempts}`];
  if (task.created_by) facts.push(`created by ${task.created_by}`);
  lines.push(facts.join(' · '), '', task.body.trim());
  if (task.attempts > 0 || task.wip_branch) {
    lines.push('', '### Earlier attempts');
    if (task.error) lines.push('', `The last attempt ended: ${task.error}`);
    if (task.wip_branch)
      lines.push(
        '',
        `Its partial work (branch \`${task.wip_branch}\`) is already checked out here: continue from it rather than starting over.`,
      );
  }
  return lines.join('\n');
}

function constraints(agent: AgentConfig): string {
  const spec = ROLE_SPECS[agent.role];
  if (spec.allowedTools.length === 0) {
    // The curator works from what its instructions show it: no tools, no files, no commands.
    return '- You have no tools. Decide from what these instructions show you, and answer only through the structured decision you are asked for.';
  }
  const rules = [
    '- Work only inside this worktree. Do not switch branches, push, open pull requests or edit `.orchestrator/`: tickfleet does those.',
    '- Create tasks, proposals and messages only through the `tickfleet` command (the slash commands in `.claude/commands/` show how); it checks limits and formats.',
  ];
  if (spec.producesBranch) {
    rules.push('- Commit your work with `git add` and `git commit`; only committed work is delivered.');
  } else {
    rules.push(
      '- Do not change the code in this worktree: your output is your final answer and what you create through the CLI.',
    );
  }
  rules.push('- If you are blocked and need a person, send a `question` message and stop.');
  return rules.join('\n');
}
