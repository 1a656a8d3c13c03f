import type { ObjectSpec } from './spec.js';

/** How a PR's auto-merge lands it (`gh pr merge --auto --<method>`). */
export const GITHUB_MERGE_METHODS = ['merge', 'squash', 'rebase'] as const;

/** The `merge_queue:` section: how approved branches land on the base. */
export const MERGE_QUEUE_SPEC: ObjectSpec = {
  kind: 'object',
  description: 'How approved branches land on the base: batches tested together (local), auto-merge (github).',
  example: { batch_size: 4 },
  fields: {
    batch_size: {
      kind: 'integer',
      min: 1,
      max: 32,
      description:
        'Approved branches stacked and tested together (oldest approval first); a red batch is bisected to its culprit.',
      default: 4,
      example: 4,
    },
    test_timeout_minutes: {
      kind: 'number',
      min: 0,
      exclusiveMin: true,
      unit: 'minutes',
      description: "A run of `review.test_command` on a batch's tip longer than this is stopped and counts as red.",
      default: 30,
      example: 30,
    },
    github_merge_method: {
      kind: 'enum',
      values: GITHUB_MERGE_METHODS,
      description:
        'github back end: how an approved PR lands once GitHub allows it (`gh pr merge --auto`); its protections decide when.',
      default: 'merge',
      example: 'squash',
    },
  },
};
