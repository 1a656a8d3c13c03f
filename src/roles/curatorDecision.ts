import { PRIORITIES, type Priority } from '../tasks/priority.js';
import { type Parsed, Problems } from './check.js';

export const CURATOR_ACTIONS = ['promote', 'reject', 'defer'] as const;
export type CuratorAction = (typeof CURATOR_ACTIONS)[number];

export interface ProposalDecision {
  id: string;
  /** One score from 0 to 1 per criterion of `curator.weights`; higher is always better. */
  scores: Record<string, number>;
  action: CuratorAction;
  /** Why: the proposer reads it on a rejection; it goes into the task on a promotion. */
  feedback: string;
  /** The task's priority on promotion (default P2). */
  priority?: Priority;
}

export interface DeclaredConflict {
  ids: string[];
  tradeoffs: string;
}

/** The curator's answer (`--json-schema`). */
export interface CuratorDecision {
  decisions: ProposalDecision[];
  conflicts: DeclaredConflict[];
}

/**
 * The schema for one run: the proposal ids shown and the configured criteria
 * are enums and required keys, so the client itself makes the model correct
 * an unknown id or a missing score before the answer reaches us.
 */
export function curatorSchema(ids: readonly string[], criteria: readonly string[]): object {
  const id = ids.length > 0 ? { type: 'string', enum: [...ids] } : { type: 'string' };
  const score = { type: 'number', minimum: 0, maximum: 1 };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['decisions', 'conflicts'],
    properties: {
      decisions: {
        type: 'array',
        description: 'Exactly one entry per proposal listed',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'scores', 'action', 'feedback'],
          properties: {
            id,
            scores: {
              type: 'object',
              additionalProperties: false,
              required: [...criteria],
              properties: Object.fromEntries(criteria.map((c) => [c, score])),
            },
            action: { type: 'string', enum: [...CURATOR_ACTIONS] },
            feedback: { type: 'string', minLength: 1 },
            priority: { type: 'string', enum: [...PRIORITIES] },
          },
        },
      },
      conflicts: {
        type: 'array',
        description: 'Proposals that contradict each other; [] when none',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['ids', 'tradeoffs'],
          properties: {
            ids: { type: 'array', items: id, minItems: 2, uniqueItems: true },
            tradeoffs: { type: 'string', minLength: 1 },
          },
        },
      },
    },
  };
}

/**
 * Check a decision against the proposals it was asked about: every one
 * decided exactly once, no unknown id, every criterion scored. Any problem
 * rejects the whole answer, so no proposal moves on a partial decision.
 */
export function parseCuratorDecision(
  value: unknown,
  ids: readonly string[],
  criteria: readonly string[],
): Parsed<CuratorDecision> {
  const p = new Problems();
  if (!p.object('decision', value)) return { ok: false, problems: p };
  const known = new Set(ids);
  const decisions: ProposalDecision[] = [];
  const seen = new Set<string>();
  if (p.array('decisions', value.decisions)) {
    for (const [i, d] of value.decisions.entries()) {
      const at = `decisions[${i}]`;
      if (!p.object(at, d)) continue;
      const id = d.id;
      if (typeof id !== 'string' || !known.has(id)) {
        p.add(`${at}.id`, `${JSON.stringify(id)} is not one of the proposals shown (${ids.join(', ') || 'none'})`);
        continue;
      }
      if (seen.has(id)) {
        p.add(`${at}.id`, `${id} is decided twice; decide each proposal once`);
        continue;
      }
      seen.add(id);
      const scores: Record<string, number> = {};
      if (p.object(`${at}.scores`, d.scores)) {
        for (const c of criteria) if (p.unit(`${at}.scores.${c}`, d.scores[c])) scores[c] = d.scores[c] as number;
        for (const extra of Object.keys(d.scores).filter((k) => !criteria.includes(k)))
          p.add(`${at}.scores.${extra}`, `is not a criterion (criteria: ${criteria.join(', ')})`);
      }
      const ok = [p.oneOf(`${at}.action`, d.action, CURATOR_ACTIONS), p.text(`${at}.feedback`, d.feedback)].every(
        Boolean,
      );
      if (d.priority !== undefined) p.oneOf(`${at}.priority`, d.priority, PRIORITIES);
      if (ok)
        decisions.push({
          id,
          scores,
          action: d.action as CuratorAction,
          feedback: (d.feedback as string).trim(),
          ...(d.priority ? { priority: d.priority as Priority } : {}),
        });
    }
    for (const id of ids) if (!seen.has(id)) p.add('decisions', `${id} has no decision; decide every proposal shown`);
  }
  const conflicts: DeclaredConflict[] = [];
  if (p.array('conflicts', value.conflicts)) {
    for (const [i, c] of value.conflicts.entries()) {
      const at = `conflicts[${i}]`;
      if (!p.object(at, c) || !p.array(`${at}.ids`, c.ids)) continue;
      const cids = [...new Set(c.ids)];
      const unknown = cids.filter((x) => typeof x !== 'string' || !known.has(x));
      if (unknown.length) {
        p.add(`${at}.ids`, `${unknown.map((x) => JSON.stringify(x)).join(', ')} not among the proposals shown`);
        continue;
      }
      if (cids.length < 2) {
        p.add(`${at}.ids`, 'a conflict needs two different proposals');
        continue;
      }
      if (p.text(`${at}.tradeoffs`, c.tradeoffs))
        conflicts.push({ ids: (cids as string[]).sort(), tradeoffs: c.tradeoffs as string });
    }
  }
  if (!p.ok) return { ok: false, problems: p };
  return { ok: true, value: { decisions, conflicts } };
}
