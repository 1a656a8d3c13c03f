import YAML from 'yaml';
import { ExitError } from '../core/errors.js';

export const REVIEW_STATES = ['pending', 'approved', 'rejected', 'merged'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Front matter of a local review record. Unknown keys survive a rewrite. */
export interface ReviewMeta {
  id: string;
  task: string;
  branch: string;
  base: string;
  /** The commit that was submitted: only this commit is merged on approval. */
  head: string;
  title: string;
  created: string;
  updated?: string;
  approved?: string;
  rejected?: string;
  reason?: string;
  merged?: string;
  merged_head?: string;
  /** Why the last merge attempt failed; the record went back to pending. */
  merge_error?: string;
  conflicts?: string[];
  test_log?: string;
  [key: string]: unknown;
}

export interface ReviewRecord {
  meta: ReviewMeta;
  /** Markdown after the front matter: a `# title` line, then the summary. */
  body: string;
  state: ReviewState;
  file: string;
}

const REQUIRED = ['id', 'task', 'branch', 'base', 'head', 'title', 'created'] as const;

export function serializeReview(meta: ReviewMeta, body: string): string {
  return `---\n${YAML.stringify(meta, { lineWidth: 0 })}---\n\n${body.replace(/\s*$/, '')}\n`;
}

export function reviewBody(title: string, summary: string): string {
  return `# ${title}\n\n${summary.trim()}\n`;
}

export function parseReview(text: string, file: string, state: ReviewState): ReviewRecord {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new ExitError(`${file}: no YAML front matter; a review record starts with a --- block`);
  let data: unknown;
  try {
    data = YAML.parse(match[1] ?? '');
  } catch (err) {
    throw new ExitError(`${file}: front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof data !== 'object' || data === null) throw new ExitError(`${file}: front matter is not a mapping`);
  const meta = data as ReviewMeta;
  for (const key of REQUIRED) {
    if (typeof meta[key] !== 'string' || meta[key] === '')
      throw new ExitError(`${file}: front matter key ${key} is missing or not text`);
  }
  return { meta, body: (match[2] ?? '').replace(/^\s*\n/, ''), state, file };
}
