import { GhError } from '../gh.js';
import type { GhCall } from './poll.js';

/** Finds tickfleet's one summary comment on a PR, so later calls edit it. */
export const CHECKS_MARKER = '<!-- tickfleet-checks -->';
/** Commit statuses of tickfleet's checks are `tickfleet/<check>`, for branch protection to require. */
export const STATUS_PREFIX = 'tickfleet/';
/** GitHub's limit on a status's description. */
const DESCRIPTION_MAX = 140;
const FINDINGS_SHOWN = 10;

/**
 * What publishing needs of a check's verdict (gatekeeper/verdict.ts's
 * CheckVerdict has all of it; the gatekeeper sits above this layer).
 */
export interface PublishedVerdict {
  check: string;
  verdict: 'pass' | 'fail' | 'error';
  required: boolean;
  summary: string;
  findings: readonly { file: string; line?: number; severity: string; message: string }[];
}

export interface Published {
  /** Statuses posted; a status already on the head with the same state and text is not posted again. */
  statuses: string[];
  comment: 'created' | 'edited' | 'unchanged';
}

const STATE: Record<PublishedVerdict['verdict'], string> = { pass: 'success', fail: 'failure', error: 'error' };

interface CommitStatus {
  context?: string;
  state?: string;
  description?: string | null;
}
interface IssueComment {
  id?: number;
  body?: string;
}

/**
 * Publish the verdicts on a PR's head: one commit status per check and one
 * summary comment, edited rather than posted again. What is already there is
 * read first, so publishing the same verdicts twice changes nothing.
 */
export async function publishVerdicts(
  gh: GhCall,
  pr: number,
  head: string,
  verdicts: readonly PublishedVerdict[],
): Promise<Published> {
  const existing = await ghJson<CommitStatus[]>(gh, [
    'api',
    `repos/{owner}/{repo}/commits/${head}/statuses?per_page=100`,
  ]);
  // GitHub lists a head's statuses newest first: the first per context is the current one.
  const current = new Map<string, CommitStatus>();
  for (const s of existing) if (s.context && !current.has(s.context)) current.set(s.context, s);

  const statuses: string[] = [];
  for (const v of verdicts) {
    const context = `${STATUS_PREFIX}${v.check}`;
    const state = STATE[v.verdict];
    const description = oneLine(v.summary).slice(0, DESCRIPTION_MAX);
    const now = current.get(context);
    if (now?.state === state && (now.description ?? '') === description) continue;
    await gh([
      'api',
      `repos/{owner}/{repo}/statuses/${head}`,
      '-f',
      `state=${state}`,
      '-f',
      `context=${context}`,
      '-f',
      `description=${description}`,
    ]);
    statuses.push(context);
  }

  const body = summaryComment(head, verdicts);
  const comments = await ghJson<IssueComment[]>(gh, ['api', `repos/{owner}/{repo}/issues/${pr}/comments?per_page=100`]);
  const mine = comments.find((c) => c.body?.includes(CHECKS_MARKER));
  if (mine?.body === body) return { statuses, comment: 'unchanged' };
  if (mine?.id !== undefined) {
    await gh(['api', '-X', 'PATCH', `repos/{owner}/{repo}/issues/comments/${mine.id}`, '-F', 'body=@-'], body);
    return { statuses, comment: 'edited' };
  }
  await gh(['api', `repos/{owner}/{repo}/issues/${pr}/comments`, '-F', 'body=@-'], body);
  return { statuses, comment: 'created' };
}

/** The summary comment: the same verdicts always make the same text. */
export function summaryComment(head: string, verdicts: readonly PublishedVerdict[]): string {
  const mark = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ could not run' } as const;
  const rows = verdicts.map(
    (v) => `| ${v.check} | ${mark[v.verdict]} | ${v.required ? 'required' : 'optional'} | ${cell(v.summary)} |`,
  );
  const findings = verdicts
    .filter((v) => v.verdict !== 'pass' && v.findings.length > 0)
    .map((v) => {
      const shown = v.findings
        .slice(0, FINDINGS_SHOWN)
        .map((f) => `- \`${f.line ? `${f.file}:${f.line}` : f.file}\` ${f.severity}: ${oneLine(f.message)}`);
      const more = v.findings.length > FINDINGS_SHOWN ? [`- … and ${v.findings.length - FINDINGS_SHOWN} more`] : [];
      return [`**${v.check}**`, ...shown, ...more].join('\n');
    });
  return [
    CHECKS_MARKER,
    `### tickfleet checks on \`${head.slice(0, 12)}\``,
    '',
    '| check | verdict | | summary |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...(findings.length ? ['', ...findings] : []),
    '',
  ].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

async function ghJson<T>(gh: GhCall, args: string[]): Promise<T> {
  const out = await gh(args);
  try {
    return JSON.parse(out) as T;
  } catch {
    throw new GhError(
      args.slice(0, 2).join(' '),
      0,
      `printed something that is not JSON: ${JSON.stringify(out.trim().slice(0, 100))}`,
    );
  }
}
