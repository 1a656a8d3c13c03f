import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readIfExists, writeFileAtomic } from '../core/atomicFile.js';
import { ExitError, errnoCode } from '../core/errors.js';
import { type Layout, packageRoot } from '../core/paths.js';

export type CommandKind = 'management' | 'agent';

/** Shipped command files say `{{TICKFLEET}}` where the CLI goes; installing substitutes it. */
export const CLI_PLACEHOLDER = '{{TICKFLEET}}';

/**
 * What agents' commands call: the runner puts a `tickfleet` wrapper first on
 * each agent's PATH (src/runner/agentEnv.ts), so the plain name is exact and
 * matches `Bash(tickfleet <subcommand>:*)` permission rules.
 */
export const AGENT_CLI = 'tickfleet';

export interface InstallOptions {
  kind: CommandKind;
  /** Usually `<root>/.claude/commands` or `<worktree>/.claude/commands`. */
  targetDir: string;
  /** What the installed files call tickfleet by (AGENT_CLI for agents). */
  cliCommand: string;
}

/** What an install did to one command file (the shape of an init report item). */
export interface InstalledCommand {
  /** Relative to the project root when inside it, else absolute. */
  path: string;
  kind: 'command';
  action: 'created' | 'updated' | 'unchanged' | 'kept';
  detail?: string;
}

export function shippedCommandsDir(kind: CommandKind): string {
  return path.join(packageRoot(), 'slash-commands', kind);
}

export async function shippedCommandNames(kind: CommandKind): Promise<string[]> {
  try {
    return (await fs.readdir(shippedCommandsDir(kind)))
      .filter((n) => n.endsWith('.md') && !n.startsWith('.'))
      .map((n) => n.slice(0, -3))
      .sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT')
      throw new ExitError(`${shippedCommandsDir(kind)} is missing: the tickfleet package is incomplete`);
    throw err;
  }
}

// The last line of an installed file records the hash of what we wrote, so a
// later install can tell our untouched copy (safe to refresh) from a user's edit (kept).
const MARKER = /\n<!-- tickfleet sha256:([0-9a-f]{16}); [^\n]*-->\n$/;

export function renderCommand(source: string, name: string, cliCommand: string): string {
  const text = source.split(CLI_PLACEHOLDER).join(cliCommand).replace(/\s*$/, '\n');
  return `${text}\n<!-- tickfleet sha256:${hash(text)}; to customise, put your version in .orchestrator/commands/${name}.md and tickfleet installs that instead -->\n`;
}

/** True when `text` is a file we installed and nobody has edited since. */
export function isUneditedInstall(text: string): boolean {
  const m = MARKER.exec(text);
  return m !== null && hash(text.slice(0, m.index)) === m[1];
}

/**
 * Copy the shipped commands of `kind` into `targetDir`, each replaced by
 * `.orchestrator/commands/<name>.md` when the project has one. Idempotent;
 * a file someone edited is never overwritten.
 */
export async function installCommandFiles(layout: Layout, options: InstallOptions): Promise<InstalledCommand[]> {
  const cli = options.cliCommand;
  await fs.mkdir(options.targetDir, { recursive: true });
  const items: InstalledCommand[] = [];
  for (const name of await shippedCommandNames(options.kind)) {
    const override = await readIfExists(path.join(layout.commands, `${name}.md`));
    const source = override ?? (await fs.readFile(path.join(shippedCommandsDir(options.kind), `${name}.md`), 'utf8'));
    const wanted = renderCommand(source, name, cli);
    const target = path.join(options.targetDir, `${name}.md`);
    const item = {
      path: displayPath(layout, target),
      kind: 'command' as const,
      ...(override === undefined ? {} : { detail: 'from .orchestrator/commands/' }),
    };
    items.push({ ...item, ...(await installOne(target, wanted)) });
  }
  return items;
}

async function installOne(target: string, wanted: string): Promise<Pick<InstalledCommand, 'action' | 'detail'>> {
  const existing = await readIfExists(target);
  if (existing === wanted) return { action: 'unchanged' };
  if (existing === undefined) {
    try {
      await writeFileAtomic(target, wanted);
      return { action: 'created' };
    } catch (err) {
      // Another install wrote it first; leave theirs.
      if (err instanceof ExitError && (await readIfExists(target)) !== undefined) return { action: 'kept' };
      throw err;
    }
  }
  if (!isUneditedInstall(existing)) return { action: 'kept', detail: 'edited' };
  await writeFileAtomic(target, wanted, { overwrite: true });
  return { action: 'updated' };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

// Inside the project: relative for a compact report; elsewhere (an agent worktree): absolute.
function displayPath(layout: Layout, file: string): string {
  const rel = path.relative(layout.root, file).split(path.sep).join('/');
  return rel.startsWith('..') ? file : rel;
}
