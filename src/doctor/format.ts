import type { Finding, Severity } from './finding.js';

export interface FindingStyle {
  ok(s: string): string;
  warn(s: string): string;
  error(s: string): string;
  dim(s: string): string;
}

const same = (s: string) => s;
const plain: FindingStyle = { ok: same, warn: same, error: same, dim: same };
const MARK: Record<Severity, string> = { ok: 'ok   ', warn: 'warn ', error: 'error' };

/** One line per finding: severity, check, what was found, and for a problem its fix. */
export function formatFindings(findings: readonly Finding[], style: FindingStyle = plain): string[] {
  const width = Math.max(0, ...findings.map((f) => f.check.length));
  const lines = findings.map((f) => {
    const fix = f.fix && f.severity !== 'ok' ? ` ${style.dim(`→ fix: ${f.fix}`)}` : '';
    return `${style[f.severity](MARK[f.severity])} ${f.check.padEnd(width)}  ${f.found}${fix}`;
  });
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  lines.push('', `${count('error')} error(s), ${count('warn')} warning(s), ${count('ok')} ok`);
  return lines;
}
