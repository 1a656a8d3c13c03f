import { sendMessage } from '../messages/send.js';
import { listProposals } from '../proposals/list.js';
import type { Proposal } from '../proposals/proposal.js';
import { proposalSummary, relevantFiles } from '../proposals/sections.js';
import type { RunContext } from '../run/context.js';
import { type Conflict, conflictKey } from './conflicts.js';

/** Rejections in a row, with no promotion between, that make a proposer worth a person's look. */
export const REJECTION_SPREE = 3;

/**
 * One `question` per conflict, ever (the key is the sorted ids): a conflict
 * found again on a later run, after someone sent both back to active/
 * without deciding, does not ask again.
 */
export async function askAboutConflict(
  ctx: RunContext,
  conflict: Conflict,
  proposals: ReadonlyMap<string, Proposal>,
): Promise<boolean> {
  const entry = (id: string) => {
    const p = proposals.get(id);
    if (!p) return `- **${id}**`;
    const files = relevantFiles(p);
    return `- **${id}** "${p.title}" by ${p.proposer} (${p.category}, ${p.complexity}): ${proposalSummary(p)}${files.length ? `\n  Files: ${files.join(', ')}` : ''}`;
  };
  const tradeoffs = conflict.tradeoffs.length
    ? conflict.tradeoffs
    : [
        'The curator named no trade-off; the proposals change the same files, so doing both blindly risks one undoing the other.',
      ];
  const body = [
    `These proposals conflict${conflict.files.length ? ` (they touch ${conflict.files.map((f) => `\`${f}\``).join(', ')})` : ''}. All of them are deferred; the curator does not pick a winner.`,
    conflict.ids.map(entry).join('\n'),
    `Trade-offs:\n\n${tradeoffs.map((t) => `- ${t}`).join('\n')}`,
    [
      'To decide: send the one you want back to the curator and reject the other(s) with a reason, for example',
      '',
      '```',
      `tickfleet proposals reactivate ${conflict.ids[0]}`,
      ...conflict.ids.slice(1).map((id) => `tickfleet proposals reject ${id} --feedback '<why not this one>'`),
      '```',
    ].join('\n'),
  ].join('\n\n');
  const sent = await sendMessage(
    ctx.layout,
    {
      type: 'question',
      title: `Conflicting proposals: ${conflict.ids.join(' vs ')}`,
      body,
      from: ctx.agent.name,
      dedupeKey: conflictKey(conflict),
    },
    { clock: ctx.clock },
  );
  return sent.sent;
}

/**
 * A proposer whose last REJECTION_SPREE decided proposals were all rejected
 * gets one warning per streak: the key names the streak's first rejection,
 * so further rejections in the same streak stay quiet and a promotion starts
 * a new one.
 */
export async function warnOnRejectionSpree(ctx: RunContext, proposer: string): Promise<boolean> {
  const { proposals } = await listProposals(ctx.layout, { states: ['rejected', 'promoted'], proposer });
  const decided = proposals
    .filter((p) => p.decided_at)
    .sort((a, b) => (b.decided_at ?? '').localeCompare(a.decided_at ?? '') || b.id.localeCompare(a.id));
  const streak: Proposal[] = [];
  for (const p of decided) {
    if (p.state !== 'rejected') break;
    streak.push(p);
  }
  if (streak.length < REJECTION_SPREE) return false;
  const first = streak.at(-1)!;
  const body = [
    `The curator rejected the last ${streak.length} proposals of ${proposer}, with no promotion between:`,
    streak.map((p) => `- ${p.id} "${p.title}": ${p.feedback ?? '(no feedback)'}`).join('\n'),
    `Its proposals may be aimed wrong. Consider sharpening its prompt (\`.orchestrator/prompts/${proposer}.md\`), lowering its \`voice_weights\`, or pausing it (\`paused: true\` in agents.yaml).`,
  ].join('\n\n');
  const sent = await sendMessage(
    ctx.layout,
    {
      type: 'warning',
      title: `${proposer}: ${streak.length} proposals rejected in a row`,
      body,
      from: ctx.agent.name,
      dedupeKey: `rejection-spree:${proposer}:${first.id}`,
    },
    { clock: ctx.clock },
  );
  return sent.sent;
}
