import { shellQuote } from '../process/shellQuote.js';
import type { TickSpec } from './plan.js';

/**
 * The crontab entry: one line, ending in a marker comment that names the
 * project, so a rerun finds and replaces exactly our line and --uninstall
 * removes exactly it. The marker sits on the same line (a shell comment after
 * the command) so the entry and its marker can never be separated by a hand
 * edit.
 */
const MARKER = ' # tickfleet:';

export function cronMarker(root: string): string {
  return `${MARKER.trim()}${root}`;
}

/** The README's crontab line, with absolute paths, PATH and the project's log. */
export function cronLine(spec: TickSpec): string {
  const q = (word: string): string => shellQuote(word);
  const command = [
    `cd ${q(spec.root)}`,
    '&&',
    `PATH=${q(spec.path)}`,
    ...[spec.node, spec.cli, ...spec.args].map(q),
    `>> ${q(spec.logFile)} 2>&1`,
  ].join(' ');
  // cron turns an unescaped % into a newline (the rest becomes stdin): escape every one.
  return `* * * * * ${command}${MARKER}${spec.root}`.replace(/%/g, '\\%');
}

/** True when `line` is the tickfleet entry of the project at `root`. */
export function isOurLine(line: string, root: string): boolean {
  const at = line.lastIndexOf(MARKER);
  return (
    at >= 0 &&
    line
      .slice(at + MARKER.length)
      .replace(/\\%/g, '%')
      .trimEnd() === root
  );
}

export interface CrontabEdit {
  text: string;
  action: 'created' | 'updated' | 'unchanged' | 'removed' | 'absent';
}

function splitTable(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Our line in place of the old one (same position), or appended; every other line untouched. */
export function upsertCronLine(table: string, root: string, line: string): CrontabEdit {
  const lines = splitTable(table);
  const ours = lines.flatMap((l, i) => (isOurLine(l, root) ? [i] : []));
  if (ours.length === 1 && lines[ours[0]!] === line) return { text: table, action: 'unchanged' };
  if (ours.length === 0) return { text: `${[...lines, line].join('\n')}\n`, action: 'created' };
  // A duplicate (copied by hand) would run the tick twice a minute: keep one.
  const out = lines.flatMap((l, i) => (i === ours[0] ? [line] : ours.includes(i) ? [] : [l]));
  return { text: `${out.join('\n')}\n`, action: 'updated' };
}

export function removeCronLine(table: string, root: string): CrontabEdit {
  const lines = splitTable(table);
  const kept = lines.filter((l) => !isOurLine(l, root));
  if (kept.length === lines.length) return { text: table, action: 'absent' };
  return { text: kept.length === 0 ? '' : `${kept.join('\n')}\n`, action: 'removed' };
}
