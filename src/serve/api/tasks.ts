import { enqueue } from '../../roles/enqueue.js';
import { cancelTask } from '../../tasks/cancel.js';
import { withLifecycle } from '../../tasks/lifecycle.js';
import { findTask, listTasks } from '../../tasks/list.js';
import { PRIORITIES, type Priority } from '../../tasks/priority.js';
import { retryTask } from '../../tasks/retry.js';
import { readJsonBody } from '../body.js';
import { leadingField } from '../errors.js';
import type { DocumentedRoute } from '../openapi.js';
import { safeId } from '../params.js';
import { ProblemError, sendJson } from '../problem.js';
import { API_ACTOR, bodyBoolean, bodyString, bodyStrings, queryOf, withFields } from './request.js';
import { filterTasks, TASK_FILTER_PARAMS, taskFilterOf } from './taskFilter.js';

/** The body keys of `POST /tasks`: the options of `tickfleet enqueue`, by the names its task file uses. */
const ENQUEUE_FIELDS = [
  'title',
  'role',
  'priority',
  'context',
  'criteria',
  'blocked_by',
  'expedite',
  'skip_pr',
  'branch',
  'force',
] as const;

const enqueueField = leadingField(ENQUEUE_FIELDS, [
  [/^no agent in .* claims /, 'role'],
  [/^blocked_by\b/, 'blocked_by'],
]);

export function taskRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'GET',
      path: '/tasks',
      summary: 'tasks with their lifecycle, newest first, filtered; `more` says the limit cut the list',
      query: TASK_FILTER_PARAMS,
      handler: async (req, res, _params, ctx) => {
        const filter = taskFilterOf(queryOf(req));
        const { tasks, problems } = await listTasks(ctx.layout, filter.state ? { states: [filter.state] } : {});
        sendJson(res, 200, { ...filterTasks(tasks, filter), problems });
      },
    },
    {
      method: 'GET',
      path: '/tasks/:id',
      summary: 'one task, wherever it is in the queue, with its lifecycle (show --json)',
      handler: async (_req, res, params, ctx) =>
        sendJson(res, 200, withLifecycle(await findTask(ctx.layout, safeId(params.id, 'id')))),
    },
    {
      method: 'POST',
      path: '/tasks',
      write: true,
      summary: 'enqueue a task, validated as `tickfleet enqueue` is (same role check and max_incoming)',
      handler: async (req, res, _params, ctx) => {
        const body = await readJsonBody(req);
        for (const key of Object.keys(body))
          if (!(ENQUEUE_FIELDS as readonly string[]).includes(key))
            throw new ProblemError(400, `unknown key ${key}; a task takes ${ENQUEUE_FIELDS.join(', ')}`, {
              field: key,
            });
        const priority = bodyString(body, 'priority');
        if (priority !== undefined && !PRIORITIES.includes(priority as Priority))
          throw new ProblemError(
            400,
            `priority must be one of ${PRIORITIES.join(', ')}, got ${JSON.stringify(priority)}`,
            {
              field: 'priority',
            },
          );
        const title = bodyString(body, 'title', true)!;
        const role = bodyString(body, 'role', true)!;
        const context = bodyString(body, 'context');
        const criteria = bodyStrings(body, 'criteria');
        const blockedBy = bodyStrings(body, 'blocked_by');
        const branch = bodyString(body, 'branch');
        const expedite = bodyBoolean(body, 'expedite');
        const skipPr = bodyBoolean(body, 'skip_pr');
        const force = bodyBoolean(body, 'force');
        const task = await withFields(enqueueField, () =>
          enqueue(ctx.layout, API_ACTOR, {
            title,
            role,
            ...(priority ? { priority: priority as Priority } : {}),
            ...(context ? { context } : {}),
            ...(criteria ? { criteria } : {}),
            ...(blockedBy ? { blockedBy } : {}),
            ...(expedite ? { expedite } : {}),
            ...(skipPr ? { skipPr } : {}),
            ...(branch ? { branch } : {}),
            ...(force ? { force } : {}),
          }),
        );
        res.setHeader('Location', `/tasks/${task.id}`);
        sendJson(res, 201, withLifecycle(task));
      },
    },
    {
      method: 'POST',
      path: '/tasks/:id/cancel',
      write: true,
      summary: 'cancel a queued or working task (body: `reason`); its runner stops within seconds',
      handler: async (req, res, params, ctx) => {
        const id = safeId(params.id, 'id');
        const body = await readJsonBody(req);
        const reason = bodyString(body, 'reason') ?? 'cancelled by hand';
        const task = await withFields(leadingField(['reason'], [[/give a reason/, 'reason']]), () =>
          cancelTask(ctx.layout, id, { reason, by: API_ACTOR.name }),
        );
        sendJson(res, 200, withLifecycle(task));
      },
    },
    {
      method: 'POST',
      path: '/tasks/:id/retry',
      write: true,
      summary: 'send a failed task back to incoming with its attempts reset (retry-failed <id>)',
      handler: async (_req, res, params, ctx) =>
        sendJson(res, 200, withLifecycle(await retryTask(ctx.layout, safeId(params.id, 'id')))),
    },
  ];
}
