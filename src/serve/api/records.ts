import { PROPOSAL_STATES } from '../../core/paths.js';
import { parseSince, queryRuns, summarizeRuns } from '../../ledger/query.js';
import { listMessages } from '../../messages/list.js';
import { MESSAGE_TYPES } from '../../messages/message.js';
import { proposalList } from '../../proposals/byHand.js';
import type { DocumentedRoute } from '../openapi.js';
import { ProblemError, sendJson } from '../problem.js';
import { API_ACTOR, oneOf, queryOf, text, wholeNumber } from './request.js';

/** The fleet's records, read as `runs --json`, `messages --json` and `proposals --json` read them. */
export function recordRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'GET',
      path: '/runs',
      summary: 'agent runs from the ledger, newest first, with their total (runs --json)',
      query: [
        { name: 'agent', description: 'only this agent' },
        { name: 'role', description: 'only this role' },
        { name: 'task', description: 'only runs on this task' },
        { name: 'outcome', description: 'only this outcome (success, timeout, max_turns, ...)' },
        { name: 'since', description: 'a date (2026-01-01), an ISO time, or an age (90m, 24h, 7d, 2w)' },
        { name: 'limit', description: 'at most this many (default 20, 0 = all)' },
      ],
      handler: async (req, res, _params, ctx) => {
        const q = queryOf(req);
        const limit = wholeNumber(q, 'limit', 20);
        const sinceText = text(q, 'since');
        const since = sinceText === undefined ? undefined : parseSince(sinceText, new Date());
        if (sinceText !== undefined && !since)
          throw new ProblemError(
            400,
            `since: expected a date (2026-01-01), an ISO time or an age (90m, 24h, 7d, 2w), got ${JSON.stringify(sinceText)}`,
            { field: 'since' },
          );
        const filters = Object.fromEntries(
          (['agent', 'role', 'task', 'outcome'] as const).flatMap((k) => {
            const v = text(q, k);
            return v === undefined ? [] : [[k, v]];
          }),
        );
        // One more than shown tells whether the list was cut, as `runs` does.
        const found = await queryRuns(ctx.layout, {
          ...filters,
          ...(since ? { since } : {}),
          ...(limit === 0 ? {} : { limit: limit + 1 }),
        });
        const runs = limit === 0 ? found : found.slice(0, limit);
        sendJson(res, 200, { runs, summary: summarizeRuns(runs), more: found.length > runs.length });
      },
    },
    {
      method: 'GET',
      path: '/messages',
      summary: 'agent-to-human messages, newest first (messages --json)',
      query: [{ name: 'type', description: MESSAGE_TYPES.join(', ') }],
      handler: async (req, res, _params, ctx) => {
        const type = oneOf(queryOf(req), 'type', MESSAGE_TYPES);
        sendJson(res, 200, await listMessages(ctx.layout, type ? { type } : {}));
      },
    },
    {
      method: 'GET',
      path: '/proposals',
      summary: 'proposals, latest decision first, with their feedback (proposals --json)',
      query: [
        { name: 'state', description: PROPOSAL_STATES.join(', ') },
        { name: 'proposer', description: 'only this proposer' },
      ],
      handler: async (req, res, _params, ctx) => {
        const q = queryOf(req);
        const state = oneOf(q, 'state', PROPOSAL_STATES);
        const proposer = text(q, 'proposer');
        sendJson(
          res,
          200,
          await proposalList(ctx.layout, API_ACTOR, { ...(state ? { state } : {}), ...(proposer ? { proposer } : {}) }),
        );
      },
    },
  ];
}
