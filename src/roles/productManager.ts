import { isoSeconds } from '../core/clock.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { listTasks } from '../tasks/list.js';
import type { Task } from '../tasks/task.js';
import { type RunStart, tasksCreatedSince } from './createdTasks.js';
import { outcomesSection } from './outcomes.js';
import type { RoleRun } from './roleRun.js';

/** Open tasks listed in the prompt, so the PM does not file duplicates; past this only the count is given. */
const MAX_LISTED = 40;

/**
 * The product manager (model: task) explores the code read-only and creates
 * tasks with `tickfleet enqueue`, which enforces max_incoming. Its prompt
 * says how much room the queue has; its follow-up reports what it created.
 */
export const productManager: RoleRun<{ start: RunStart }> = {
  async prepare(ctx) {
    const start: RunStart = { iso: isoSeconds(ctx.clock.now()), epochMs: Date.now() };
    const { tasks } = await listTasks(ctx.layout, { states: ['incoming', 'claimed'] });
    return { sections: [queueSection(ctx, tasks), ...outcomesSection(ctx)], context: { start } };
  },

  async followUp(ctx, run): Promise<FollowUp> {
    const created = tasksCreatedSince(ctx.layout, ctx.agent.name, run.prepared.context.start);
    const result = { tasks: created.map((t) => t.id) };
    // Tasks made before a failure went through the gate and stay; the run is still a failure.
    if (run.outcome.kind !== 'success') return { ...(await settleUndelivered(ctx, run.outcome)), result };
    const list = created.map((t) => `${t.id} (${t.role}, ${t.priority}) ${t.title}`).join('; ');
    return {
      summary: created.length
        ? `created ${created.length} task${created.length === 1 ? '' : 's'}: ${list}`
        : 'created no tasks',
      result,
    };
  },
};

function queueSection(ctx: RunContext, open: Task[]): string {
  const max = ctx.config.queue_limits.max_incoming;
  const room = Math.max(0, max - open.length);
  const lines = [
    '## The queue now',
    '',
    `${open.length} task${open.length === 1 ? ' is' : 's are'} open (incoming + claimed) of max_incoming ${max}, so at most ${room} more fit. \`tickfleet enqueue\` refuses the rest: when it says the limit is reached, stop creating tasks for this run.`,
  ];
  if (open.length > 0) {
    lines.push('', 'Open tasks (do not file duplicates of these):', '');
    const sorted = [...open].sort((a, b) => a.created.localeCompare(b.created));
    for (const t of sorted.slice(0, MAX_LISTED))
      lines.push(`- ${t.id} [${t.role}, ${t.priority}, ${t.state}] ${t.title}`);
    if (sorted.length > MAX_LISTED)
      lines.push(`- … and ${sorted.length - MAX_LISTED} more (\`tickfleet queue-status\`)`);
  }
  return lines.join('\n');
}
