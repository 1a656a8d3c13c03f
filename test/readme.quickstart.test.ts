import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/core/paths.js';
import { resolveChoices } from '../src/init/choices.js';
import { initProject } from '../src/init/init.js';
import { PKG } from './helpers/installs.js';
import { tempDir } from './helpers/tmp.js';

const README = readFileSync(path.join(PKG, 'README.md'), 'utf8');

/** The quick start's commands, comments and continuation lines dropped. */
function quickStart(): string[] {
  const section = README.slice(README.indexOf('## Running it on your project'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

describe("the README's quick start", () => {
  it('adds the submodule, inits, runs doctor and commits before the first tick; notes protocol.file.allow for a local path', () => {
    const lines = quickStart();
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const added = at(/^git submodule add /);
    const init = at(/cli\.js init$/);
    const doctor = at(/cli\.js doctor$/);
    const commit = at(/^git commit /);
    const tick = at(/cli\.js (scheduler|setup) /);
    expect(
      [added, init, doctor, commit, tick].every((i) => i >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect(added < init && init < commit && doctor < tick && commit < tick).toBe(true);
    expect(README).toMatch(/git -c protocol\.file\.allow=always submodule add \/path\/to\/tickfleet orchestrator/);
  });

  it('and `init` agree: plain init installs the slash commands, --skills is not needed', async () => {
    expect(README).not.toMatch(/`init --skills` installs/);
    expect(README).toContain('Plain `init` installs the management slash');
    const layout = layoutFor(tempDir());
    const choices = await resolveChoices({}, { interactive: false, ask: async () => false });
    await initProject(layout, { ...choices, cliCommand: 'tickfleet' });
    expect(existsSync(path.join(layout.root, '.claude', 'commands', 'enqueue.md'))).toBe(true);
  });
});
