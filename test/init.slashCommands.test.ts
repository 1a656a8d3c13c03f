import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { layoutFor } from '../src/core/paths.js';
import { installSlashCommands } from '../src/init/slashCommands.js';
import { type CommandKind, isUneditedInstall, renderCommand, shippedCommandNames } from '../src/slash/install.js';
import { tempDir } from './helpers/tmp.js';

const CLI = 'node /opt/tickfleet/dist/cli.js -C /srv/project';

function frontMatter(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  expect(m, 'front matter').not.toBeNull();
  return parseYaml(m![1]!) as Record<string, unknown>;
}

describe('shipped slash commands', () => {
  it.each([
    [
      'management',
      [
        'add-agent',
        'agent-status',
        'cancel',
        'enqueue',
        'messages',
        'pause-agent',
        'queue-status',
        'retry-failed',
        'status',
        'tune-backpressure',
        'tune-intervals',
      ],
    ],
    ['agent', ['create-proposal', 'create-task', 'my-rejections', 'send-message']],
  ] as const)('%s: each has a description and allows only the tickfleet CLI', async (kind, expected) => {
    expect(await shippedCommandNames(kind)).toEqual(expected);
    const layout = layoutFor(tempDir());
    const target = path.join(layout.root, 'out');
    await installSlashCommands(layout, { kind, targetDir: target, cliCommand: CLI });
    for (const name of expected) {
      const text = await fs.readFile(path.join(target, `${name}.md`), 'utf8');
      const meta = frontMatter(text);
      expect(typeof meta.description, name).toBe('string');
      const tools = String(meta['allowed-tools']).split(/,\s*(?=Bash\()/);
      for (const tool of tools)
        expect(tool, name).toMatch(new RegExp(`^Bash\\(${CLI.replace(/[.*/]/g, '\\$&')} [a-z -]+:\\*\\)$`));
      expect(text, name).not.toContain('{{');
    }
  });

  it('agents call the `tickfleet` wrapper on their PATH by default, and send messages with `messages send`', async () => {
    const layout = layoutFor(tempDir());
    const target = path.join(layout.root, 'worktree', '.claude', 'commands');
    const items = await installSlashCommands(layout, { kind: 'agent', targetDir: target });
    expect(items.every((i) => i.action === 'created' && path.isAbsolute(i.path) === false)).toBe(true);
    const send = await fs.readFile(path.join(target, 'send-message.md'), 'utf8');
    expect(send).toContain('allowed-tools: Bash(tickfleet messages send:*)');
    expect(send).toContain('tickfleet messages send --type');
    expect(await fs.readFile(path.join(target, 'create-task.md'), 'utf8')).toContain('tickfleet enqueue ');
    expect(await fs.readFile(path.join(target, 'create-proposal.md'), 'utf8')).toContain('tickfleet propose --title ');
    expect(await fs.readFile(path.join(target, 'my-rejections.md'), 'utf8')).toContain(
      'tickfleet proposals --mine --state rejected',
    );
  });
});

describe('installSlashCommands', () => {
  async function setup(kind: CommandKind = 'management') {
    const layout = layoutFor(tempDir());
    const target = path.join(layout.root, '.claude', 'commands');
    const install = (cliCommand = CLI) => installSlashCommands(layout, { kind, targetDir: target, cliCommand });
    return { layout, target, install };
  }

  it('prefers .orchestrator/commands/<name>.md over the shipped file, placeholders and all', async () => {
    const { layout, target, install } = await setup();
    await fs.mkdir(layout.commands, { recursive: true });
    await fs.writeFile(
      path.join(layout.commands, 'status.md'),
      'Run `{{TICKFLEET}} status --json` and make a haiku of it.\n',
    );
    const items = await install();
    expect(items.find((i) => i.path === '.claude/commands/status.md')).toEqual({
      path: '.claude/commands/status.md',
      kind: 'command',
      action: 'created',
      detail: 'from .orchestrator/commands/',
    });
    expect(await fs.readFile(path.join(target, 'status.md'), 'utf8')).toMatch(
      new RegExp(`^Run \`${CLI.replace(/[.*/]/g, '\\$&')} status --json\` and make a haiku`),
    );
  });

  it('never overwrites an edited file; refreshes its own untouched copy', async () => {
    const { target, install } = await setup();
    await install('node /old/place/dist/cli.js -C /srv/project');
    const edited = path.join(target, 'enqueue.md');
    await fs.appendFile(edited, 'Always use P2.\n');
    const editedText = await fs.readFile(edited, 'utf8');

    const items = await install(); // the package moved: every untouched file follows it
    expect(items.find((i) => i.path.endsWith('/enqueue.md'))).toMatchObject({ action: 'kept', detail: 'edited' });
    expect(await fs.readFile(edited, 'utf8')).toBe(editedText);
    expect(items.filter((i) => i.action === 'updated')).toHaveLength(10);
    expect(await fs.readFile(path.join(target, 'status.md'), 'utf8')).toContain(CLI);

    const again = await install();
    expect(again.filter((i) => i.action !== 'unchanged').map((i) => i.path)).toEqual(['.claude/commands/enqueue.md']);
  });

  it("treats a file it did not write (no marker) as the user's", async () => {
    const { target, install } = await setup();
    await fs.mkdir(target, { recursive: true });
    await fs.writeFile(path.join(target, 'status.md'), 'my own /status\n');
    const items = await install();
    expect(items.find((i) => i.path.endsWith('/status.md'))).toMatchObject({ action: 'kept' });
    expect(await fs.readFile(path.join(target, 'status.md'), 'utf8')).toBe('my own /status\n');
  });

  it('recognises its own rendering and nothing else', () => {
    const ours = renderCommand('Run {{TICKFLEET}} status\n', 'status', CLI);
    expect(isUneditedInstall(ours)).toBe(true);
    expect(isUneditedInstall(ours.replace('status', 'statue'))).toBe(false);
    expect(isUneditedInstall(`${ours}more\n`)).toBe(false);
    expect(isUneditedInstall('Run it\n')).toBe(false);
  });
});
