import { GhError } from '../gh.js';
import { failedCiChecks, runIdOf } from './events.js';
import { type FailedJobLog, type ReviewNote, tailLines } from './fixTasks.js';
import type { GhCall } from './poll.js';
import { CHECKS_MARKER } from './publish.js';
import type { PullState } from './pullState.js';

/** Lines of a failed job's log a fix task carries: the error is nearly always at the end. */
export const LOG_TAIL_LINES = 80;
/** Distinct failed runs whose logs are read for one fix task. */
const MAX_RUNS = 3;

interface ViewedReview {
  author?: { login?: string } | null;
  state?: string;
  body?: string;
  submittedAt?: string;
}
interface ViewedComment {
  author?: { login?: string } | null;
  body?: string;
  createdAt?: string;
}

/** The PR's reviews and comments, oldest first; tickfleet's own check summary left out. */
export async function reviewNotes(gh: GhCall, pr: number): Promise<ReviewNote[]> {
  const out = await gh(['pr', 'view', String(pr), '--json', 'reviews,comments']);
  let parsed: { reviews?: ViewedReview[]; comments?: ViewedComment[] };
  try {
    parsed = JSON.parse(out) as typeof parsed;
  } catch {
    throw new GhError('pr view', 0, `printed something that is not JSON: ${JSON.stringify(out.trim().slice(0, 100))}`);
  }
  const who = (a: ViewedReview['author']) => a?.login ?? 'someone';
  const reviews = (parsed.reviews ?? []).map(
    (r): ReviewNote => ({
      author: who(r.author),
      state: r.state ?? 'COMMENTED',
      body: r.body ?? '',
      ...(r.submittedAt ? { at: r.submittedAt } : {}),
    }),
  );
  const comments = (parsed.comments ?? [])
    .filter((c) => !(c.body ?? '').includes(CHECKS_MARKER))
    .map(
      (c): ReviewNote => ({ author: who(c.author), body: c.body ?? '', ...(c.createdAt ? { at: c.createdAt } : {}) }),
    );
  return [...reviews, ...comments]
    .filter((n) => n.body.trim() !== '' || n.state === 'CHANGES_REQUESTED')
    .sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
}

/** The tail of each failed run's log (`gh run view <id> --log-failed`); a log that cannot be read says why. */
export async function failedJobLogs(gh: GhCall, pr: PullState): Promise<FailedJobLog[]> {
  const logs: FailedJobLog[] = [];
  const runs = new Set<string>();
  for (const check of failedCiChecks(pr)) {
    const name = check.name ?? check.context ?? '?';
    const runId = runIdOf(check);
    if (!runId) {
      logs.push({
        check: name,
        tail: `(no log: not a GitHub Actions run${(check.detailsUrl ?? check.targetUrl) ? `; see ${check.detailsUrl ?? check.targetUrl}` : ''})`,
      });
      continue;
    }
    if (runs.has(runId)) continue;
    runs.add(runId);
    if (runs.size > MAX_RUNS) break;
    try {
      logs.push({
        check: name,
        runId,
        tail: tailLines(await gh(['run', 'view', runId, '--log-failed']), LOG_TAIL_LINES),
      });
    } catch (err) {
      // The fix task still names the check; its log is one click away.
      if (!(err instanceof GhError)) throw err;
      logs.push({ check: name, runId, tail: `(log unreadable: ${err.message})` });
    }
  }
  return logs;
}
