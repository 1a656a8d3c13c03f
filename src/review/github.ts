import { isTickfleetBranch } from '../tasks/branch.js';
import type { ReviewBackend, ReviewRequest, SubmittedReview } from './backend.js';
import { GhError, type GhOptions, runGh } from './gh.js';
import { type Published, type PublishedVerdict, publishVerdicts } from './pulls/publish.js';

export interface GithubPullRequest {
  number: number;
  url: string;
  headRefName: string;
  baseRefName: string;
  title: string;
}

/** A PR: its number, its URL or its head branch, as gh accepts them. */
export type PrRef = number | string;

export interface GithubReview extends ReviewBackend {
  readonly kind: 'github';
  list(): Promise<GithubPullRequest[]>;
  comment(pr: PrRef, body: string): Promise<void>;
  review(pr: PrRef, verdict: { event: 'approve' | 'request-changes' | 'comment'; body: string }): Promise<void>;
  merge(pr: PrRef, options?: { method?: 'merge' | 'squash' | 'rebase'; deleteBranch?: boolean }): Promise<void>;
  /** Each verdict as a `tickfleet/<check>` status on the head, and one summary comment edited in place (pulls/publish.ts). */
  publishVerdicts(pr: number, head: string, verdicts: readonly PublishedVerdict[]): Promise<Published>;
}

const LIMIT = '1000';

/**
 * `gh pr create` under a task's fence holds the task queue's lock, which
 * others wait for 30 s at most: the call is cut short well before that. A PR
 * created by a call cut short is found again by the next attempt ("already
 * exists").
 */
const FENCED_CREATE_TIMEOUT_MS = 20_000;

/** Publishing runs in the tick: a slow GitHub must not hold it for gh's default two minutes per call. */
const PUBLISH_TIMEOUT_MS = 20_000;

/** Review through GitHub pull requests, with the `gh` CLI (which holds the credentials). */
export function createGithubReview(options: { root: string; env?: GhOptions['env'] }): GithubReview {
  const gh = (args: string[], input?: string, timeoutMs?: number) =>
    runGh(args, {
      cwd: options.root,
      ...(options.env ? { env: options.env } : {}),
      ...(input === undefined ? {} : { input }),
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  return {
    kind: 'github',

    async submit(request: ReviewRequest): Promise<SubmittedReview> {
      const args = [
        'pr',
        'create',
        '--base',
        request.base,
        '--head',
        request.branch,
        '--title',
        request.title,
        '--body-file',
        '-',
      ];
      let out: string;
      try {
        out = request.fence
          ? await request.fence(() => gh(args, request.body, FENCED_CREATE_TIMEOUT_MS))
          : await gh(args, request.body);
      } catch (err) {
        // A retry after a crash finds its PR already open: that PR is the answer.
        const existing =
          err instanceof GhError ? /already exists:?\s*(https:\/\/\S+\/pull\/\d+)/.exec(err.stderr)?.[1] : undefined;
        if (!existing) throw err;
        out = existing;
      }
      const url = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^https?:\/\/\S+\/pull\/\d+$/.test(l))
        .pop();
      if (!url)
        throw new GhError(
          'pr create',
          0,
          `printed no pull request URL for ${request.branch}: ${JSON.stringify(out.trim().slice(0, 200))}`,
        );
      const number = Number(/\/pull\/(\d+)$/.exec(url)?.[1]);
      return { id: String(number), url, number };
    },

    // Only tickfleet's PRs hold its claims back: people's PRs in the same repository do not.
    async openCount(): Promise<number> {
      const out = await gh(['pr', 'list', '--state', 'open', '--json', 'number,headRefName', '--limit', LIMIT]);
      return (parseList(out, 'pr list') as { headRefName?: unknown }[]).filter(
        (pr) => typeof pr.headRefName === 'string' && isTickfleetBranch(pr.headRefName),
      ).length;
    },

    async list(): Promise<GithubPullRequest[]> {
      const out = await gh([
        'pr',
        'list',
        '--state',
        'open',
        '--json',
        'number,url,headRefName,baseRefName,title',
        '--limit',
        LIMIT,
      ]);
      return parseList(out, 'pr list') as GithubPullRequest[];
    },

    async comment(pr, body) {
      await gh(['pr', 'comment', String(pr), '--body-file', '-'], body);
    },

    async review(pr, verdict) {
      await gh(['pr', 'review', String(pr), `--${verdict.event}`, '--body-file', '-'], verdict.body);
    },

    async merge(pr, mergeOptions = {}) {
      const args = ['pr', 'merge', String(pr), `--${mergeOptions.method ?? 'squash'}`];
      if (mergeOptions.deleteBranch) args.push('--delete-branch');
      await gh(args);
    },

    publishVerdicts(pr, head, verdicts) {
      return publishVerdicts((args, input) => gh(args, input, PUBLISH_TIMEOUT_MS), pr, head, verdicts);
    },
  };
}

/** gh's JSON list, or a GhError: a count read from garbage would be a lie. */
function parseList(out: string, command: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch {
    throw new GhError(command, 0, `printed something that is not JSON: ${JSON.stringify(out.trim().slice(0, 100))}`);
  }
  if (!Array.isArray(parsed))
    throw new GhError(command, 0, `printed JSON that is not a list: ${JSON.stringify(out.trim().slice(0, 100))}`);
  return parsed;
}
