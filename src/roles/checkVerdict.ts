import type { CheckFinding } from '../gatekeeper/verdict.js';
import { type Parsed, Problems } from './check.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** A gatekeeper agent's answer (`--json-schema`): the verdict on one check of one commit. */
export interface CheckAnswer {
  verdict: 'pass' | 'fail';
  summary: string;
  findings: CheckFinding[];
}

export const CHECK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'summary', 'findings'],
  properties: {
    verdict: {
      type: 'string',
      enum: ['pass', 'fail'],
      description:
        'pass: nothing in your focus blocks this change; fail: something must change first (name it in findings)',
    },
    summary: { type: 'string', minLength: 1, description: 'One or two sentences: what you checked and what you found' },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'severity', 'message'],
        properties: {
          file: { type: 'string', minLength: 1, description: 'Path relative to the repository root' },
          line: { type: 'integer', minimum: 1 },
          severity: {
            type: 'string',
            enum: [...SEVERITIES],
            description: 'error: must be fixed; warning: should be; info: a note',
          },
          message: { type: 'string', minLength: 1, description: 'What is wrong and the fix, in one or two sentences' },
        },
      },
    },
  },
} as const;

/** The answer checked again (the schema is the first guard); a fail must name what to fix. */
export function parseCheckAnswer(value: unknown): Parsed<CheckAnswer> {
  const p = new Problems();
  if (!p.object('verdict', value)) return { ok: false, problems: p };
  p.oneOf('verdict', value.verdict, ['pass', 'fail'] as const);
  p.text('summary', value.summary);
  const findings: CheckFinding[] = [];
  if (p.array('findings', value.findings)) {
    value.findings.forEach((f, i) => {
      const at = `findings[${i}]`;
      if (!p.object(at, f)) return;
      const ok = [
        p.text(`${at}.file`, f.file, { oneLine: true }),
        p.oneOf(`${at}.severity`, f.severity, SEVERITIES),
        p.text(`${at}.message`, f.message),
      ].every(Boolean);
      const lineOk = f.line === undefined || (Number.isInteger(f.line) && (f.line as number) >= 1);
      if (!lineOk) p.add(`${at}.line`, `must be a line number from 1, got ${JSON.stringify(f.line)}`);
      if (ok && lineOk)
        findings.push({
          file: (f.file as string).trim(),
          ...(f.line !== undefined ? { line: f.line as number } : {}),
          severity: f.severity as CheckFinding['severity'],
          message: (f.message as string).trim(),
        });
    });
    if (value.verdict === 'fail' && value.findings.length === 0)
      p.add('findings', 'a fail needs at least one finding saying what to fix');
  }
  if (!p.ok) return { ok: false, problems: p };
  return {
    ok: true,
    value: { verdict: value.verdict as CheckAnswer['verdict'], summary: (value.summary as string).trim(), findings },
  };
}
