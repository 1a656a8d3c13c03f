import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Layout, layoutFor } from '../src/core/paths.js';
import { GITIGNORE_ENTRIES } from '../src/init/gitignore.js';
import { changedNothing, type InitOptions, type InitResult, initProject } from '../src/init/init.js';
import { tempDir } from './helpers/tmp.js';

const ALL: InitOptions = {
  skills: true,
  gitignore: true,
  claudeMd: true,
  cliCommand: 'node /opt/tickfleet/dist/cli.js -C /srv/project',
};

/** Every path under `dir` with its content (files) and mtime, to prove a rerun touches nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const entry of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      const stat = await fs.lstat(p);
      const rel = path.relative(dir, p);
      if (entry.isDirectory()) {
        out[`${rel}/`] = `dir mtime=${stat.mtimeMs}`;
        await walk(p);
      } else {
        out[rel] = `mtime=${stat.mtimeMs} ${await fs.readFile(p, 'utf8')}`;
      }
    }
  }
  out['./'] = `dir mtime=${(await fs.stat(dir)).mtimeMs}`;
  await walk(dir);
  return out;
}

const actionOf = (result: InitResult, p: string) => result.items.find((i) => i.path === p)?.action;

async function fresh(): Promise<Layout> {
  return layoutFor(tempDir());
}

describe('initProject', () => {
  it('creates the documented tree, the proposal queue, prompts, runs and logs', async () => {
    const layout = await fresh();
    const result = await initProject(layout, ALL);
    const expected = [
      'commands',
      'prompts',
      'agents',
      'messages',
      'runs',
      'logs',
      'shared/queue/incoming',
      'shared/queue/claimed',
      'shared/queue/done',
      'shared/queue/failed',
      'shared/proposals/active',
      'shared/proposals/promoted',
      'shared/proposals/deferred',
      'shared/proposals/rejected',
    ];
    for (const dir of expected) expect((await fs.stat(path.join(layout.dir, dir))).isDirectory()).toBe(true);
    expect(await fs.readFile(layout.agentsYaml, 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
    expect(actionOf(result, '.orchestrator/agents.yaml')).toBe('created');
    expect(result.items.filter((i) => i.kind === 'command' && i.action === 'created')).toHaveLength(11);
    expect(actionOf(result, '.gitignore')).toBe('created');
    expect(actionOf(result, 'CLAUDE.md')).toBe('suggested');
    expect(changedNothing(result)).toBe(false);
  });

  it('changes nothing on a second run: same paths, contents and mtimes, and says so', async () => {
    const layout = await fresh();
    await fs.writeFile(path.join(layout.root, 'CLAUDE.md'), '# Project\n');
    await initProject(layout, ALL);
    const before = await snapshot(layout.root);
    const second = await initProject(layout, ALL);
    expect(await snapshot(layout.root)).toEqual(before);
    expect(changedNothing(second)).toBe(true);
    expect(new Set(second.items.map((i) => i.action))).toEqual(new Set(['unchanged']));
  });

  it('keeps an agents.yaml the user edited, and reports it', async () => {
    const layout = await fresh();
    await fs.mkdir(layout.dir);
    await fs.writeFile(layout.agentsYaml, 'agents:\n  - name: mine\n    role: implementer\n    interval_seconds: 60\n');
    const result = await initProject(layout, ALL);
    expect(result.items.find((i) => i.path === '.orchestrator/agents.yaml')).toEqual({
      path: '.orchestrator/agents.yaml',
      kind: 'config',
      action: 'kept',
      detail: 'edited',
    });
    expect(await fs.readFile(layout.agentsYaml, 'utf8')).toContain('name: mine');
  });

  it('skips slash commands and .gitignore when told to', async () => {
    const layout = await fresh();
    const result = await initProject(layout, { ...ALL, skills: false, gitignore: false });
    expect(actionOf(result, '.claude/commands/')).toBe('skipped');
    expect(actionOf(result, '.gitignore')).toBe('skipped');
    await expect(fs.stat(path.join(layout.root, '.claude'))).rejects.toThrow(/ENOENT/);
    await expect(fs.stat(path.join(layout.root, '.gitignore'))).rejects.toThrow(/ENOENT/);
  });

  it('appends only the .gitignore entries that are missing, once', async () => {
    const layout = await fresh();
    const gitignore = path.join(layout.root, '.gitignore');
    // Two entries already there in the user's own spelling, and no final newline.
    await fs.writeFile(gitignore, 'node_modules/\n.orchestrator/*\n.agent-instructions.md');
    const first = await initProject(layout, ALL);
    expect(first.items.find((i) => i.path === '.gitignore')).toMatchObject({
      action: 'appended',
      detail: `${GITIGNORE_ENTRIES.length - 2} entries`,
    });
    await initProject(layout, ALL);
    const lines = (await fs.readFile(gitignore, 'utf8')).split('\n');
    expect(lines.slice(0, 3)).toEqual(['node_modules/', '.orchestrator/*', '.agent-instructions.md']);
    for (const entry of GITIGNORE_ENTRIES) {
      const bare = entry.replace(/^\//, '');
      expect(lines.filter((l) => l.replace(/^\//, '') === bare)).toHaveLength(1);
    }
    // git itself agrees: the team's config stays tracked, runtime state is ignored.
    execFileSync('git', ['init', '-q'], { cwd: layout.root });
    const ignored = (p: string) => spawnSync('git', ['check-ignore', '-q', p], { cwd: layout.root }).status === 0;
    expect(ignored('.orchestrator/agents.yaml')).toBe(false);
    expect(ignored('.orchestrator/prompts/curator.md')).toBe(false);
    expect(ignored('.orchestrator/commands/enqueue.md')).toBe(false);
    expect(ignored('.orchestrator/shared/queue/incoming/TASK-a1b2c3d4.md')).toBe(true);
    expect(ignored('.orchestrator/agents/impl/state.json')).toBe(true);
    expect(ignored('.orchestrator/scheduler.lock')).toBe(true);
    expect(ignored('src/.agent-instructions.md')).toBe(true);
  });

  it('appends the two seed lines to an existing claude.md, through a symlink, and only once', async () => {
    const layout = await fresh();
    await fs.writeFile(path.join(layout.root, 'AGENTS.md'), '# Rules\n\nBe nice.');
    await fs.symlink('AGENTS.md', path.join(layout.root, 'claude.md'));
    const result = await initProject(layout, ALL);
    expect(result.items.find((i) => i.kind === 'claude-md')).toEqual({
      path: 'claude.md',
      kind: 'claude-md',
      action: 'appended',
      detail: '2 lines',
    });
    expect((await fs.lstat(path.join(layout.root, 'claude.md'))).isSymbolicLink()).toBe(true);
    const expected =
      '# Rules\n\nBe nice.\n\n' +
      'If .agent-instructions.md exists in this directory, read and follow those instructions.\n\n' +
      'Check .orchestrator/messages/ for any agent messages and inform the user of warnings or questions.\n';
    expect(await fs.readFile(path.join(layout.root, 'AGENTS.md'), 'utf8')).toBe(expected);
    await initProject(layout, ALL);
    expect(await fs.readFile(path.join(layout.root, 'AGENTS.md'), 'utf8')).toBe(expected);
  });

  it('leaves claude.md alone when declined, and counts a line already there in other words', async () => {
    const layout = await fresh();
    const file = path.join(layout.root, 'CLAUDE.md');
    await fs.writeFile(file, 'Always read .agent-instructions.md first.\n');
    const declined = await initProject(layout, { ...ALL, claudeMd: false });
    expect(declined.items.find((i) => i.kind === 'claude-md')).toMatchObject({ action: 'skipped' });
    expect(await fs.readFile(file, 'utf8')).toBe('Always read .agent-instructions.md first.\n');
    const accepted = await initProject(layout, ALL);
    expect(accepted.items.find((i) => i.kind === 'claude-md')).toMatchObject({ action: 'appended', detail: '1 line' });
    expect(await fs.readFile(file, 'utf8')).toBe(
      'Always read .agent-instructions.md first.\n\nCheck .orchestrator/messages/ for any agent messages and inform the user of warnings or questions.\n',
    );
  });

  it('installs slash commands with no path of this machine, and no placeholder left', async () => {
    const layout = await fresh();
    await initProject(layout, { skills: true, gitignore: false, claudeMd: false });
    const dir = path.join(layout.root, '.claude', 'commands');
    const names = (await fs.readdir(dir)).sort();
    expect(names).toEqual([
      'add-agent.md',
      'agent-status.md',
      'cancel.md',
      'enqueue.md',
      'messages.md',
      'pause-agent.md',
      'queue-status.md',
      'retry-failed.md',
      'status.md',
      'tune-backpressure.md',
      'tune-intervals.md',
    ]);
    for (const name of names) {
      const text = await fs.readFile(path.join(dir, name), 'utf8');
      expect(text, name).not.toContain('{{');
      expect(text, name).not.toContain(layout.root);
      expect(text, name).not.toContain(path.resolve('.'));
      // The package is outside this project (a global install): the commands call `tickfleet` on PATH.
      expect(text, name).toContain('allowed-tools: Bash(tickfleet ');
    }
  });

  it('refuses a project folder that does not exist', async () => {
    await expect(initProject(layoutFor(path.join(tempDir(), 'nope')), ALL)).rejects.toThrow(/is not a folder/);
  });
});
