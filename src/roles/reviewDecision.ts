import { type Parsed, Problems } from './check.js';

export const VERDICTS = ['approve', 'request_changes'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ReviewFinding {
  severity: Severity;
  file: string;
  line?: number;
  title: string;
  detail: string;
  /** True: it needs a code change, and tickfleet files a fix task. False: a note for people. */
  create_task: boolean;
}

/** The reviewer's answer (`--json-schema`); the follow-up acts on this and nothing else. */
export interface ReviewDecision {
  verdict: Verdict;
  summary: string;
  findings: ReviewFinding[];
}

const TITLE_MAX = 120;

export const REVIEW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'summary', 'findings'],
  properties: {
    verdict: {
      type: 'string',
      enum: [...VERDICTS],
      description:
        'approve: fit to merge as it is; request_changes: something must be fixed first (name it in findings)',
    },
    summary: {
      type: 'string',
      minLength: 1,
      description: 'Two or three sentences: what you reviewed and what you found',
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'file', 'title', 'detail', 'create_task'],
        properties: {
          severity: { type: 'string', enum: [...SEVERITIES] },
          file: { type: 'string', minLength: 1, description: 'Path relative to the repository root' },
          line: { type: 'integer', minimum: 1 },
          title: { type: 'string', minLength: 1, maxLength: TITLE_MAX, description: 'One line' },
          detail: {
            type: 'string',
            minLength: 1,
            description: 'What is wrong, why it matters, and the fix you suggest',
          },
          create_task: {
            type: 'boolean',
            description:
              'true: needs a code change (tickfleet files a fix task); false: a note for people (sent as a warning)',
          },
        },
      },
    },
  },
} as const;

export function parseReviewDecision(value: unknown): Parsed<ReviewDecision> {
  const p = new Problems();
  if (!p.object('decision', value)) return { ok: false, problems: p };
  p.oneOf('verdict', value.verdict, VERDICTS);
  p.text('summary', value.summary);
  const findings: ReviewFinding[] = [];
  if (p.array('findings', value.findings)) {
    value.findings.forEach((f, i) => {
      const at = `findings[${i}]`;
      if (!p.object(at, f)) return;
      const ok = [
        p.oneOf(`${at}.severity`, f.severity, SEVERITIES),
        p.text(`${at}.file`, f.file, { oneLine: true }),
        p.text(`${at}.title`, f.title, { oneLine: true }),
        p.text(`${at}.detail`, f.detail),
        p.boolean(`${at}.create_task`, f.create_task),
      ].every(Boolean);
      if (f.line !== undefined && !(Number.isInteger(f.line) && (f.line as number) >= 1))
        p.add(`${at}.line`, `must be a line number from 1, got ${JSON.stringify(f.line)}`);
      if (ok)
        findings.push({ ...(f as unknown as ReviewFinding), title: (f.title as string).trim().slice(0, TITLE_MAX) });
    });
  }
  if (value.verdict === 'request_changes' && Array.isArray(value.findings) && value.findings.length === 0) {
    p.add('findings', 'request_changes needs at least one finding saying what to change');
  }
  if (!p.ok) return { ok: false, problems: p };
  return {
    ok: true,
    value: { verdict: value.verdict as Verdict, summary: (value.summary as string).trim(), findings },
  };
}
