import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role } from '../src/config/agentsConfig.js';
import { ROLE_SPECS } from '../src/roles/registry.js';
import { script, text, toolUse } from '../src/scripted-api/dsl.js';
import { writeExecutable } from './helpers/fleet.js';
import { runRealClaude } from './helpers/scriptedApi.js';
import { tempDir, tempRepo } from './helpers/tmp.js';

// What the real client lets each role run, with the role's own tool list and
// permission mode: a stand-in `tickfleet` first on PATH (as the runner's
// wrapper is) records every call that got through.

async function tryAs(role: Role, commands: string[], extra: ReturnType<typeof toolUse>[] = []) {
  const bin = tempDir('tickfleet-bin-');
  const calls = path.join(bin, 'calls.log');
  writeExecutable(bin, 'tickfleet', `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\necho "ran tickfleet $1"\n`);
  const cwd = tempRepo({ 'README.md': '# sample\n' });
  const spec = ROLE_SPECS[role];
  const { record } = await runRealClaude({
    cwd,
    scenario: script(
      ...commands.map((command) => toolUse('Bash', { command, description: 'try it' })),
      ...extra,
      text('done'),
    ),
    settings: { permission_mode: spec.permissionMode, allowed_tools: spec.allowedTools, max_turns: 40 },
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, TICKFLEET_CLI: 'tickfleet' },
  });
  expect(record.result?.subtype).toBe('success');
  const ran = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  const denied = (record.result?.permission_denials ?? []).map(
    (d) =>
      (d.tool_input as { command?: string; file_path?: string }).command ??
      (d.tool_input as { file_path?: string }).file_path,
  );
  return { ran, denied, cwd };
}

describe('role tool lists, as the real client applies them', () => {
  it('product manager: `tickfleet enqueue` and `messages send` run; other subcommands, other programs and "$VAR" spellings are refused', async () => {
    const outside = path.join(tempDir(), 'secret.txt');
    writeFileSync(outside, 'secret\n');
    const { ran, denied } = await tryAs('product_manager', [
      `tickfleet enqueue 'Fix the parser' --role implement --context 'it breaks on ""' --criteria 'npm test passes'`,
      `tickfleet enqueue 'a' --role implement && tickfleet enqueue 'b' --role test`,
      `tickfleet queue-status`,
      `tickfleet messages send --type question --title 'Which API?' --body - <<'EOF'\nit's v1 or v2\nEOF`,
      `tickfleet review approve REV-TASK-1`,
      `tickfleet propose --title x`,
      `tickfleet enqueuex 'x'`,
      `"$TICKFLEET_CLI" enqueue 'via a variable' --role implement`,
      `tickfleet enqueue 'x' --role implement; touch y`,
      `touch notes.txt`,
      `node -e 'process.exit(0)'`,
      `cat README.md`,
      `cat ${outside}`,
    ]);
    expect(ran).toEqual([
      'enqueue Fix the parser --role implement --context it breaks on "" --criteria npm test passes',
      'enqueue a --role implement',
      'enqueue b --role test',
      'queue-status',
      'messages send --type question --title Which API? --body -',
    ]);
    expect(denied).toEqual([
      'tickfleet review approve REV-TASK-1',
      'tickfleet propose --title x',
      `tickfleet enqueuex 'x'`,
      `"$TICKFLEET_CLI" enqueue 'via a variable' --role implement`,
      `tickfleet enqueue 'x' --role implement; touch y`,
      'touch notes.txt',
      `node -e 'process.exit(0)'`,
      `cat ${outside}`,
    ]);
  });

  it('proposer: `tickfleet propose` and `tickfleet proposals` run, `tickfleet enqueue` does not', async () => {
    const { ran, denied } = await tryAs('proposer', [
      `tickfleet proposals --mine --state rejected`,
      `tickfleet propose --title 'Cover the parser' --category test --complexity S --summary 'one line' --rationale 'no test' --criteria 'a test' --file src/parse.ts`,
      `tickfleet enqueue 'Sneak a task in' --role implement`,
    ]);
    expect(ran).toEqual([
      'proposals --mine --state rejected',
      'propose --title Cover the parser --category test --complexity S --summary one line --rationale no test --criteria a test --file src/parse.ts',
    ]);
    expect(denied).toEqual([`tickfleet enqueue 'Sneak a task in' --role implement`]);
  });

  it('curator: no queue commands, and nothing outside its scratch folder can be read', async () => {
    const outside = path.join(tempDir(), 'code.ts');
    writeFileSync(outside, 'export {}\n');
    const { ran, denied } = await tryAs(
      'curator',
      ['tickfleet proposals', `cat ${outside}`],
      [toolUse('Read', { file_path: outside })],
    );
    expect(ran).toEqual([]);
    expect(denied).toEqual(['tickfleet proposals', `cat ${outside}`, outside]);
  });
});
