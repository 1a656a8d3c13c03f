import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tickfleetInvocation } from '../src/init/cliCommand.js';
import { CLI, cli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

async function initialised(): Promise<string> {
  const dir = tempDir();
  expect((await cli(['-C', dir, 'init', '-y', '--no-skills', '--no-gitignore'])).code).toBe(0);
  return dir;
}

describe('tickfleet messages (built CLI)', () => {
  it('sends as $TICKFLEET_AGENT, lists, filters and clears', async () => {
    const dir = await initialised();
    const sent = await cli(
      [
        '-C',
        dir,
        'messages',
        'send',
        '--type',
        'warning',
        '--title',
        'Flaky test',
        '--body',
        'test_foo failed twice',
        '--task',
        'TASK-abc123',
        '--json',
      ],
      { TICKFLEET_AGENT: 'test-agent' },
    );
    expect(sent.code).toBe(0);
    const { file } = JSON.parse(sent.stdout) as { file: string };
    expect(await fs.readFile(file, 'utf8')).toMatch(
      /^# ⚠️ Flaky test\n\n\*\*Type:\*\* warning\n\*\*Time:\*\* \S+Z\n\*\*From:\*\* test-agent\n\*\*Task:\*\* TASK-abc123\n\n---\n\ntest_foo failed twice\n$/,
    );
    // The singular spelling is an alias, for models that guess it.
    expect((await cli(['-C', dir, 'message', 'send', '--type', 'info', '--title', 'Done', '--body', 'ok'])).code).toBe(
      0,
    );

    const listed = await cli(['-C', dir, 'messages', '--json']);
    expect(
      (JSON.parse(listed.stdout) as { title: string; from: string }[]).map((m) => [m.title, m.from]).sort(),
    ).toEqual([
      ['Done', 'user'],
      ['Flaky test', 'test-agent'],
    ]);
    const warnings = await cli(['-C', dir, 'messages', 'list', '--type', 'warning']);
    expect(warnings.stdout).toContain('⚠️ Flaky test');
    expect(warnings.stdout).not.toContain('Done');

    expect((await cli(['-C', dir, 'messages', 'clear', '--type', 'info', '--json'])).stdout).toContain('"removed": 1');
    expect((await cli(['-C', dir, 'messages', 'clear', '--older-than', '1'])).stdout).toBe('removed 0 messages\n');
    expect((await cli(['-C', dir, 'messages', 'clear'])).stdout).toBe('removed 1 message\n');
    expect((await cli(['-C', dir, 'messages'])).stdout).toBe('no messages\n');
  });

  it('reads a body from stdin with --body -', async () => {
    const dir = await initialised();
    const child = execFile('node', [
      CLI,
      '-C',
      dir,
      'messages',
      'send',
      '--type',
      'question',
      '--title',
      "Which one's right?",
      '--body',
      '-',
      '--json',
    ]);
    child.stdin!.end('Option A: keep it\nOption B: drop it\n');
    const out = await new Promise<string>((resolve) => {
      let s = '';
      child.stdout!.on('data', (d) => (s += d));
      child.on('close', () => resolve(s));
    });
    const { file } = JSON.parse(out) as { file: string };
    expect(await fs.readFile(file, 'utf8')).toMatch(/---\n\nOption A: keep it\nOption B: drop it\n$/);
  });

  it('sends a --key once across concurrent processes', async () => {
    const dir = await initialised();
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        cli([
          '-C',
          dir,
          'messages',
          'send',
          '--type',
          'error',
          '--title',
          `Rebase conflict ${i}`,
          '--body',
          'x',
          '--key',
          'conflict:TASK-1',
          '--json',
        ]),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(runs.map((r) => (JSON.parse(r.stdout) as { sent: boolean }).sent).filter(Boolean)).toHaveLength(1);
    expect(
      (await fs.readdir(path.join(dir, '.orchestrator', 'messages'))).filter((n) => n.endsWith('.md')),
    ).toHaveLength(1);
  });

  it('explains bad input with exit code 2, and an uninitialised project with exit code 1', async () => {
    const dir = await initialised();
    const bad = await cli(['-C', dir, 'messages', 'list', '--type', 'shout']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown message type "shout"; use one of info, warning, error, question');
    expect((await cli(['-C', dir, 'messages', 'clear', '--older-than', 'soon'])).code).toBe(2);
    const bareDir = tempDir();
    const bare = await cli(['-C', bareDir, 'messages']);
    expect(bare.code).toBe(1);
    // The fix names tickfleet as it runs for this project: this checkout lies outside it, so by its path unless it is on PATH.
    expect(bare.stderr).toContain(`agents.yaml not found: run \`${tickfleetInvocation(bareDir).command} init\``);
  });
});
