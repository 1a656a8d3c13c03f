import type { Layout } from '../../core/paths.js';
import { approveReview, listReviews, rejectReview, reviewIdOf } from '../../review/byHand.js';
import { REVIEW_STATES, type ReviewRecord, type ReviewState } from '../../review/record.js';
import { withLifecycle } from '../../tasks/lifecycle.js';
import type { Task } from '../../tasks/task.js';
import { readJsonBody } from '../body.js';
import { leadingField } from '../errors.js';
import type { DocumentedRoute } from '../openapi.js';
import { safeId } from '../params.js';
import { ProblemError, sendJson } from '../problem.js';
import { API_ACTOR, bodyBoolean, bodyString, oneOf, queryOf, withFields } from './request.js';

const REVIEW_ID_HINT = 'a review id such as REV-TASK-a1b2c3d4 or a task id';

/** The local review queue (review back end `local`), as `review list|approve|reject --json`. */
export function reviewRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'GET',
      path: '/reviews',
      summary: 'reviews of the local back end (review list --json); state defaults to pending',
      query: [{ name: 'state', description: `${REVIEW_STATES.join(', ')} or all (default pending)` }],
      handler: async (req, res, _params, ctx) => {
        const state = oneOf(queryOf(req), 'state', [...REVIEW_STATES, 'all'] as const) ?? 'pending';
        const records = await listReviews(ctx.layout, state === 'all' ? undefined : (state as ReviewState));
        sendJson(res, 200, records.map(asJson));
      },
    },
    {
      method: 'POST',
      path: '/reviews/:id/approve',
      write: true,
      summary:
        'approve a review and merge it (body: `merge: false` only marks it, `rework: false` makes no rework task)',
      handler: async (req, res, params, ctx) => {
        const id = await knownReview(ctx.layout, params.id);
        const body = await readJsonBody(req);
        const merge = bodyBoolean(body, 'merge');
        const rework = bodyBoolean(body, 'rework');
        const result = await approveReview(ctx.layout, API_ACTOR, id, {
          ...(merge === undefined ? {} : { merge }),
          ...(rework === undefined ? {} : { rework }),
        });
        sendJson(res, 200, withReworkLifecycle(result));
      },
    },
    {
      method: 'POST',
      path: '/reviews/:id/reject',
      write: true,
      summary: 'reject a review (body: `reason`, required); a rework task continues from its branch',
      handler: async (req, res, params, ctx) => {
        const id = await knownReview(ctx.layout, params.id);
        const body = await readJsonBody(req);
        const reason = bodyString(body, 'reason', true)!;
        const rework = bodyBoolean(body, 'rework');
        const result = await withFields(leadingField(['reason'], [[/say why/, 'reason']]), () =>
          rejectReview(ctx.layout, API_ACTOR, id, reason, rework === undefined ? {} : { rework }),
        );
        sendJson(res, 200, withReworkLifecycle(result));
      },
    },
  ];
}

/** A review id that names a review in some state; unknown is a 404 before any decision is attempted. */
async function knownReview(layout: Layout, raw: string | undefined): Promise<string> {
  const id = reviewIdOf(safeId(raw, 'id', REVIEW_ID_HINT));
  const all = await listReviews(layout);
  if (!all.some((r) => r.meta.id === id)) throw new ProblemError(404, `review ${id} not found in ${layout.reviews}`);
  return id;
}

function asJson(r: ReviewRecord): Record<string, unknown> {
  return { ...r.meta, state: r.state, file: r.file };
}

function withReworkLifecycle<R extends { rework?: Task }>(result: R): R {
  return result.rework ? { ...result, rework: withLifecycle(result.rework) } : result;
}
