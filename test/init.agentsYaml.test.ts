import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROLES } from '../src/config/agentsConfig.js';
import { layoutFor } from '../src/core/paths.js';
import { renderDefaultAgentsYaml, schemaReference } from '../src/init/agentsYaml.js';
import { tempDir } from './helpers/tmp.js';

// The keys src/config accepts (see Config and AgentConfig in src/config/agentsConfig.ts).
const TOP_KEYS = [
  'model',
  'paused',
  'queue_limits',
  'proposal_limits',
  'proposal_defaults',
  'voice_weights',
  'curator',
  'gatekeeper',
  'claude',
  'budgets',
  'tasks',
  'scheduler',
  'quota',
  'review',
  'ports',
  'metrics',
  'agents',
];
const AGENT_KEYS = ['name', 'role', 'interval_seconds', 'paused', 'focus', 'task_role', 'daily_budget_usd', 'claude'];

/** The commented-out examples (`# key:` followed by `#   ...` lines), uncommented. */
function commentedBlocks(text: string): string[] {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^# [a-z_]+:/.test(line)) {
      current = [line.slice(2)];
      blocks.push(current);
    } else if (current && /^#( {3}|\s*$)/.test(line)) current.push(line.slice(2));
    else current = undefined;
  }
  return blocks.map((b) => b.join('\n'));
}

function checkKeys(doc: Record<string, unknown>): void {
  for (const key of Object.keys(doc)) expect(TOP_KEYS, key).toContain(key);
  for (const agent of (doc.agents ?? []) as Record<string, unknown>[]) {
    for (const key of Object.keys(agent)) expect(AGENT_KEYS, key).toContain(key);
    expect(ROLES).toContain(agent.role);
  }
}

describe('the default agents.yaml', () => {
  it('is the documented task-model example, using only known keys', async () => {
    const text = await renderDefaultAgentsYaml(layoutFor(tempDir()));
    const doc = parseYaml(text) as Record<string, unknown>;
    checkKeys(doc);
    expect(doc.queue_limits).toEqual({ max_incoming: 20, max_claimed: 5, max_open_prs: 10 });
    expect(doc.agents).toEqual([
      { name: 'pm-agent', role: 'product_manager', interval_seconds: 600 },
      { name: 'impl-agent-1', role: 'implementer', interval_seconds: 180 },
      { name: 'test-agent', role: 'tester', interval_seconds: 120 },
      { name: 'review-agent', role: 'reviewer', interval_seconds: 300 },
    ]);
  });

  it('carries commented examples of budgets and the proposal model that are valid once uncommented', async () => {
    const blocks = commentedBlocks(await renderDefaultAgentsYaml(layoutFor(tempDir())));
    const docs = blocks.map((b) => parseYaml(b) as Record<string, unknown>);
    expect(docs.map((d) => Object.keys(d)[0])).toEqual(['budgets', 'proposal_limits', 'voice_weights', 'agents']);
    for (const doc of docs) checkKeys(doc);
    expect(docs[0]!.budgets).toEqual({ per_run_usd: 2, per_agent_daily_usd: 10, fleet_daily_usd: 50 });
    expect((docs[3]!.agents as { role: string }[]).map((a) => a.role)).toEqual(['proposer', 'curator', 'implementer']);
  });
});

describe('schemaReference', () => {
  async function project() {
    const root = tempDir();
    await fs.mkdir(path.join(root, '.orchestrator'));
    return layoutFor(root);
  }

  it('is relative for a submodule and for an npm install, so the committed file works on every clone', async () => {
    const layout = await project();
    expect(schemaReference(layout, path.join(layout.root, 'orchestrator'))).toBe(
      '../orchestrator/schema/agents.schema.json',
    );
    expect(schemaReference(layout, path.join(layout.root, 'node_modules', 'tickfleet'))).toBe(
      '../node_modules/tickfleet/schema/agents.schema.json',
    );
  });

  it('is absolute for a package outside the project (a global install)', async () => {
    const layout = await project();
    const global = tempDir();
    expect(schemaReference(layout, global)).toBe(path.join(await fs.realpath(global), 'schema', 'agents.schema.json'));
  });
});
