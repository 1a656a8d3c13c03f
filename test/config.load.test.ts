import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { ExitError } from '../src/core/errors.js';
import { type Layout, layoutFor } from '../src/core/paths.js';
import { tempDir } from './helpers/tmp.js';

function project(text?: string): Layout {
  const layout = layoutFor(tempDir());
  if (text !== undefined) {
    mkdirSync(layout.dir, { recursive: true });
    writeFileSync(layout.agentsYaml, text);
  }
  return layout;
}

async function failure(layout: Layout): Promise<ExitError> {
  const err = await loadConfig(layout).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExitError);
  return err as ExitError;
}

describe('loadConfig', () => {
  it('returns the resolved config and its warnings', async () => {
    const layout = project('model: proposal\nagents:\n  - {name: c, role: curator}\n');
    const { config, warnings } = await loadConfig(layout);
    expect(config.file).toBe(layout.agentsYaml);
    expect(config.agents.map((a) => a.name)).toEqual(['c']);
    expect(warnings).toEqual([]);
  });

  it('throws one ExitError (exit 1) listing every problem', async () => {
    const layout = project('model: tasks\nagents:\n  - name: a\n    role: tester\n    interval_seconds: 5m\n');
    const err = await failure(layout);
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(`${layout.agentsYaml}: 2 problems`);
    expect(err.details).toEqual([
      '.orchestrator/agents.yaml:1 model: must be one of task, proposal, got "tasks" (did you mean `task`?)',
      '.orchestrator/agents.yaml:5 agents[0].interval_seconds: must be a positive integer number of seconds, got "5m" (example: interval_seconds: 300)',
    ]);
    expect((await failure(project('paused: maybe\n'))).message).toMatch(/: 1 problem$/);
  });

  it('says to run init when there is no agents.yaml', async () => {
    const layout = project();
    expect((await failure(layout)).message).toBe(
      `${layout.agentsYaml} not found: run \`tickfleet init\` in ${layout.root} first`,
    );
  });

  it('knows the prompt files, so a custom proposer focus with a prompt is not a warning', async () => {
    const yaml =
      'model: proposal\nagents:\n  - {name: sec, role: proposer, focus: security}\n  - {name: c, role: curator}\n';
    const layout = project(yaml);
    expect((await loadConfig(layout)).warnings.map((w) => w.path)).toEqual(['agents[0].focus']);
    mkdirSync(layout.prompts);
    writeFileSync(path.join(layout.prompts, 'security.md'), 'Look for injection.\n');
    expect((await loadConfig(layout)).warnings).toEqual([]);
  });

  it('changes nothing on disk', async () => {
    const layout = project('agents:\n  - {name: a, role: tester}\n');
    const before = statSync(layout.agentsYaml).mtimeMs;
    await loadConfig(layout);
    await failure(project('model: x\n'));
    expect(readdirSync(layout.dir)).toEqual(['agents.yaml']);
    expect(statSync(layout.agentsYaml).mtimeMs).toBe(before);
  });
});
