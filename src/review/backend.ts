/** What a finished task asks reviewers to look at: its branch, against the base. */
export interface ReviewRequest {
  taskId: string;
  /** Runs the step that makes the review visible (the record write, `gh pr create`) under the task's lease fence. */
  fence?: EffectFence;
  branch: string;
  base: string;
  title: string;
  /** Markdown summary for reviewers. */
  body: string;
}

export interface SubmittedReview {
  /** PR number as text (github) or `REV-<task-id>` (local). */
  id: string;
  /** The PR's URL (github). */
  url?: string;
  number?: number;
  /** The review record (local). */
  file?: string;
}

/**
 * Runs one short, irreversible step only while the caller still holds its
 * task, and holds that proof for the step's duration (see tasks/withFence.ts);
 * throws, without running the step, when the task is no longer the caller's.
 */
export type EffectFence = <T>(step: () => Promise<T>) => Promise<T>;

export type ReviewKind = 'github' | 'local';

/**
 * Where finished work waits for review. Both back ends count what is open,
 * for `max_open_prs` backpressure.
 */
export interface ReviewBackend {
  readonly kind: ReviewKind;
  submit(request: ReviewRequest): Promise<SubmittedReview>;
  /**
   * Reviews still open. Throws when the count cannot be read: an unreadable
   * count must block claims, never read as zero.
   */
  openCount(): Promise<number>;
}
