import path from 'node:path';
import { packageRoot, type Layout } from '../core/paths.js';

/** The built CLI of the package this code runs from: the bundle (scripts/bundle.mjs), which starts fastest. */
export function cliScript(): string {
  return path.join(packageRoot(), 'dist', 'bundle', 'cli.js');
}

/**
 * The absolute command a slash command runs: `node /abs/dist/bundle/cli.js -C /abs/root`.
 * Absolute on both ends, so it works whatever directory Claude Code's shell
 * is in, and from the submodule, an npm install or a global install alike.
 */
export function tickfleetCommand(layout: Layout, script = cliScript()): string {
  return ['node', shellQuote(script), '-C', shellQuote(layout.root)].join(' ');
}

/** Quote for a POSIX shell only when needed, so the usual path stays readable. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\/.,:@%+=-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
