import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';

/**
 * The scheduler files live as templates under `<package>/setup/` so a reader
 * (or a packager) can see exactly what gets installed. Placeholders are
 * `{{name}}`; values arrive escaped for the target format.
 */
export function readSetupTemplate(name: string, pkgRoot = packageRoot()): string {
  return readFileSync(path.join(pkgRoot, 'setup', name), 'utf8');
}

/** Fill every `{{name}}`; a placeholder without a value is a bug in the caller, not a blank. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`setup template: no value for {{${name}}}`);
    return value;
  });
}

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * One word of a systemd setting that splits on spaces (ExecStart=,
 * Environment=). systemd expands `%` specifiers everywhere and `$` variables
 * in ExecStart only; a word with spaces or quotes must be double-quoted.
 * Escape all of it so any path is taken literally.
 */
export function systemdWord(text: string, execLine = false): string {
  let literal = text.replace(/%/g, '%%');
  if (execLine) literal = literal.replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_/.,:@+=%$-]+$/.test(literal)
    ? literal
    : `"${literal.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A value where only specifiers expand (Description=, paths): `%` doubled, nothing quoted. */
export function systemdText(text: string): string {
  return text.replace(/%/g, '%%');
}
