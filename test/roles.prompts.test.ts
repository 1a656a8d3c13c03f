import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentConfig, Role } from '../src/config/agentsConfig.js';
import { PROPOSER_FOCUSES } from '../src/config/vocabulary.js';
import { layoutFor } from '../src/core/paths.js';
import { loadRolePrompt } from '../src/runner/rolePrompt.js';
import { tempDir } from './helpers/tmp.js';

const agent = (name: string, role: Role, focus?: string) =>
  ({ name, role, ...(focus ? { focus } : {}) }) as AgentConfig;

describe('role prompts', () => {
  it.each(['product_manager', 'implementer', 'tester', 'reviewer', 'curator'] as const)(
    '%s has a shipped prompt',
    async (role) => {
      const { file, text } = await loadRolePrompt(layoutFor(tempDir()), agent('a', role));
      expect(path.basename(file)).toBe(`role-${role}.md`);
      expect(text.length).toBeGreaterThan(200);
    },
  );

  it.each(PROPOSER_FOCUSES)('a proposer with focus %s has a shipped prompt', async (focus) => {
    const { file } = await loadRolePrompt(layoutFor(tempDir()), agent('p', 'proposer', focus));
    expect(path.basename(file)).toBe(`proposer-${focus}.md`);
  });

  it('a proposer prompt comes from .orchestrator/prompts/<agent>.md, then <focus>.md, then the shipped one', async () => {
    const layout = layoutFor(tempDir());
    const architect = agent('architect', 'proposer', 'architecture');
    expect(path.basename((await loadRolePrompt(layout, architect)).file)).toBe('proposer-architecture.md');
    mkdirSync(layout.prompts, { recursive: true });
    writeFileSync(path.join(layout.prompts, 'architecture.md'), 'Look at the layering.\n');
    expect((await loadRolePrompt(layout, architect)).text).toBe('Look at the layering.');
    writeFileSync(path.join(layout.prompts, 'architect.md'), 'Only the storage layer.\n');
    expect((await loadRolePrompt(layout, architect)).text).toBe('Only the storage layer.');
  });

  it('a focus with no prompt anywhere is an error naming the file to create', async () => {
    const layout = layoutFor(tempDir());
    await expect(loadRolePrompt(layout, agent('sec', 'proposer', 'security'))).rejects.toThrow(
      `no prompt for agent sec (role proposer, focus security): create ${path.join(layout.prompts, 'sec.md')}`,
    );
  });
});
