import type { Config } from '../config/agentsConfig.js';
import type { Proposal } from '../proposals/proposal.js';
import type { Overlap } from './conflicts.js';
import { voiceWeight } from './curatorPlan.js';

/** What the default criteria mean; every criterion is scored so that 1 is best. */
const CRITERIA_MEANING: Record<string, string> = {
  impact: 'how much the project gains when it is done (1 = a lot)',
  effort: 'how cheap it is to do (1 = small and quick, 0 = very large); score the inverse of the work',
  risk: 'how safe it is (1 = very unlikely to break anything)',
  alignment: "how well it fits the project's direction and documented plans (1 = squarely)",
};

/** The curator's instructions beyond its role prompt: the proposals, how it is scored, and the form of its answer. */
export function curatorSections(
  config: Config,
  proposals: readonly Proposal[],
  overlaps: readonly Overlap[],
): string[] {
  return [
    proposalsSection(config, proposals),
    ...(overlaps.length ? [overlapSection(overlaps)] : []),
    scoringSection(config),
    ANSWER,
  ];
}

function proposalsSection(config: Config, proposals: readonly Proposal[]): string {
  if (proposals.length === 0)
    return '## Proposals to curate\n\nNone are active. Answer with empty `decisions` and `conflicts`.';
  const parts = [
    `## Proposals to curate\n\n${proposals.length} active proposal${proposals.length === 1 ? '' : 's'}; decide every one.`,
  ];
  for (const p of proposals) {
    const facts = [
      `proposer ${p.proposer} (voice weight ${voiceWeight(config, p.proposer)})`,
      `category ${p.category}`,
      `complexity ${p.complexity}`,
    ];
    if (p.created) facts.push(`created ${p.created}`);
    const earlier = p.feedback ? `\n\nEarlier feedback (it was deferred, then sent back): ${p.feedback}` : '';
    parts.push(`### ${p.id} — ${p.title}\n\n${facts.join(' · ')}${earlier}\n\n${demote(p.body.trim())}`);
  }
  return parts.join('\n\n');
}

/** The proposal's own `## Summary` etc. become `####`, so they stay under its heading. */
function demote(body: string): string {
  return body.replace(/^## /gm, '#### ');
}

function overlapSection(overlaps: readonly Overlap[]): string {
  return [
    '## Conflicts found by comparing files',
    '',
    ...overlaps.map((o) => `- ${o.ids[0]} and ${o.ids[1]} both touch ${o.files.map((f) => `\`${f}\``).join(', ')}`),
    '',
    'These will be deferred and the owner asked to choose, whatever you decide. Still score and decide them, and put the trade-offs you see in `conflicts`.',
  ].join('\n');
}

function scoringSection(config: Config): string {
  const { weights, promote_threshold: threshold } = config.curator;
  const lines = Object.entries(weights).map(
    ([c, w]) => `- \`${c}\` (weight ${w}): ${CRITERIA_MEANING[c] ?? "the project's own criterion (1 = best)"}`,
  );
  return [
    '## How your decision is applied',
    '',
    'Score every proposal from 0 to 1 on each criterion; higher is always better:',
    '',
    ...lines,
    '',
    "tickfleet computes score = (Σ weight × criterion score ÷ Σ weights) × the proposer's voice weight, then:",
    '',
    `- \`promote\` creates a task only when the score is at least ${threshold} (promote_threshold); below it the proposal is deferred. A full task queue defers it too.`,
    '- `reject` rejects it; your `feedback` is what the proposer reads before proposing again, so say what would have made it worth doing.',
    '- `defer` keeps it for later; say what would have to change.',
    '- Proposals that touch the same files, or that you list in `conflicts` as contradicting each other, are all deferred and the owner is asked to choose. Never choose between them yourself.',
  ].join('\n');
}

const ANSWER = [
  '## Your answer',
  '',
  'You do not explore the code: decide from the proposals above. End by calling the `StructuredOutput` tool once, with:',
  '',
  '- `decisions`: exactly one entry per proposal above: `id`, `scores` (one number per criterion), `action` (`promote`, `reject` or `defer`), `feedback` (one or two sentences), and optionally `priority` (P0–P3) for the task a promotion creates.',
  '- `conflicts`: each set of proposals that contradict each other, as `ids` and `tradeoffs` (what each choice gains and costs); `[]` when there are none.',
  '',
  'An answer that names an unknown proposal, leaves one out or breaks this form fails the run, and no proposal moves.',
].join('\n');
