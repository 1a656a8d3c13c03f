import type { Config } from '../config/agentsConfig.js';
import type { Proposal } from '../proposals/proposal.js';
import type { Priority } from '../tasks/priority.js';
import { type Conflict, groupConflicts, type Overlap } from './conflicts.js';
import type { CuratorDecision } from './curatorDecision.js';

export interface PlannedMove {
  id: string;
  action: 'promote' | 'reject' | 'defer';
  /** Weighted score × voice weight. */
  score: number;
  /** Shown to the proposer (rejections) and recorded on the proposal. */
  feedback: string;
  priority: Priority;
  /** Set when deferred because of a conflict. */
  conflictsWith?: string[];
}

export interface CurationPlan {
  /** Promotions first, best score first (a queue with room for only some takes the best); then the rest in id order. */
  moves: PlannedMove[];
  conflicts: Conflict[];
}

/**
 * The weighted score: Σ weight × score / Σ weight, so weights that do not
 * add up to 1 still give a score from 0 to 1 (all weights 0: the plain mean).
 */
export function weightedScore(scores: Record<string, number>, weights: Record<string, number>): number {
  const criteria = Object.keys(weights);
  const total = criteria.reduce((s, c) => s + (weights[c] ?? 0), 0);
  if (criteria.length === 0) return 0;
  if (total === 0) return criteria.reduce((s, c) => s + (scores[c] ?? 0), 0) / criteria.length;
  return criteria.reduce((s, c) => s + (weights[c] ?? 0) * (scores[c] ?? 0), 0) / total;
}

export function voiceWeight(config: Pick<Config, 'voice_weights'>, proposer: string): number {
  return config.voice_weights[proposer] ?? 1;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * What to do with each proposal, from the curator's decision. Pure and
 * deterministic:
 *
 * 1. A proposal in a conflict (its files overlap another's, or the curator
 *    says they contradict) is deferred with the others of its conflict,
 *    whatever the curator chose: a person decides between them.
 * 2. Otherwise `reject` and `defer` are done as the curator chose.
 * 3. `promote` happens only when score = weighted score × the proposer's
 *    voice weight (rounded to three decimals, as recorded on the proposal)
 *    reaches `curator.promote_threshold`; below it the proposal
 *    is deferred ("not now"), since the curator found it worth doing. The
 *    score never promotes what the curator did not choose to promote.
 */
export function planCuration(
  config: Pick<Config, 'curator' | 'voice_weights'>,
  proposals: readonly Proposal[],
  decision: CuratorDecision,
  overlaps: readonly Overlap[],
): CurationPlan {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const conflicts = groupConflicts(overlaps, decision.conflicts);
  const conflictOf = new Map(conflicts.flatMap((c) => c.ids.map((id) => [id, c] as const)));
  const { weights, promote_threshold: threshold } = config.curator;

  const moves = decision.decisions.map((d): PlannedMove => {
    const p = byId.get(d.id)!;
    const weighted = weightedScore(d.scores, weights);
    const voice = voiceWeight(config, p.proposer);
    const score = round(weighted * voice);
    const base = { id: d.id, score, priority: d.priority ?? 'P2' };
    const conflict = conflictOf.get(d.id);
    if (conflict) {
      const others = conflict.ids.filter((x) => x !== d.id);
      return {
        ...base,
        action: 'defer',
        conflictsWith: others,
        feedback: `In conflict with ${others.join(', ')}${why(conflict)}; deferred until the owner decides. Curator: ${d.feedback}`,
      };
    }
    if (d.action !== 'promote') return { ...base, action: d.action, feedback: d.feedback };
    if (score >= threshold) return { ...base, action: 'promote', feedback: d.feedback };
    const how = voice === 1 ? `${score}` : `${score} (${round(weighted)} × voice weight ${voice})`;
    return {
      ...base,
      action: 'defer',
      feedback: `Scored ${how}, below promote_threshold ${threshold}; deferred. Curator: ${d.feedback}`,
    };
  });
  return { moves: order(moves), conflicts };
}

function why(c: { files: string[]; tradeoffs: string[] }): string {
  const parts = [];
  if (c.files.length) parts.push(`both touch ${c.files.join(', ')}`);
  if (c.tradeoffs.length) parts.push('the curator sees a contradiction');
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function order(moves: PlannedMove[]): PlannedMove[] {
  const promote = moves
    .filter((m) => m.action === 'promote')
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const rest = moves.filter((m) => m.action !== 'promote').sort((a, b) => a.id.localeCompare(b.id));
  return [...promote, ...rest];
}
