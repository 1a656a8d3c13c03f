import type { RunContext } from '../run/context.js';
import { recentOutcomes, type TaskOutcome } from '../tasks/outcomes.js';

/** How far back a creator's instructions look, and how many ended tasks they list. */
const LOOKBACK_MS = 7 * 86_400_000;
const MAX_LISTED = 20;
/** A handoff is the model's summary; past this it is cut, the task file has the rest. */
const MAX_HANDOFF = 600;

/**
 * The recent outcomes of the tasks this agent created, with their handoffs,
 * for the product manager's and the curator's instructions: so they neither
 * file finished work again nor overlook what failed. Empty when none ended.
 */
export function outcomesSection(ctx: RunContext): string[] {
  const since = new Date(ctx.clock.now().getTime() - LOOKBACK_MS);
  const outcomes = recentOutcomes(ctx.layout, ctx.agent.name, { since, limit: MAX_LISTED });
  if (outcomes.length === 0) return [];
  const lines = [
    '## What became of the tasks you created',
    '',
    'These ended in the last 7 days, newest first. Do not file merged or finished work again; a failed or cancelled task needs a different approach (or a person), not the same task again.',
  ];
  for (const o of outcomes) lines.push('', ...outcomeLines(o));
  return [lines.join('\n')];
}

function outcomeLines(o: TaskOutcome): string[] {
  const out = [`### ${o.id} ${o.lifecycle.replace(/_/g, ' ')} ${o.ended_at}: ${o.title} (${o.role})`];
  if (o.error) out.push(`Why it ended: ${cut(o.error)}`);
  if (o.handoff) out.push(`Handoff: ${cut(o.handoff)}`);
  return out;
}

function cut(text: string): string {
  const t = text.trim();
  return t.length > MAX_HANDOFF ? `${t.slice(0, MAX_HANDOFF - 1)}… (the rest: \`tickfleet show\`)` : t;
}
