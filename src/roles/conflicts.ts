import type { Proposal } from '../proposals/proposal.js';
import { relevantFiles } from '../proposals/sections.js';

/** Two proposals touching the same file (or one a folder holding the other's file). */
export interface Overlap {
  ids: [string, string];
  files: string[];
}

/** A set of proposals that must not be decided one without the others: a person chooses. */
export interface Conflict {
  /** Sorted: the same set is the same conflict on every run. */
  ids: string[];
  /** Shared files, found by comparing `## Relevant Files`. */
  files: string[];
  /** The curator's account of why they contradict, when it gave one. */
  tradeoffs: string[];
}

function normalise(file: string): string {
  return file.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

function touchesSame(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** Every pair of proposals whose relevant files overlap. Pure, in id order. */
export function fileOverlaps(proposals: readonly Pick<Proposal, 'id' | 'body'>[]): Overlap[] {
  const files = [...proposals]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p) => ({ id: p.id, files: relevantFiles(p).map(normalise).filter(Boolean) }));
  const out: Overlap[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const a = files[i]!;
      const b = files[j]!;
      const shared = a.files.filter((f) => b.files.some((g) => touchesSame(f, g)));
      if (shared.length > 0) out.push({ ids: [a.id, b.id], files: [...new Set(shared)].sort() });
    }
  }
  return out;
}

/**
 * Overlaps and the curator's declared contradictions, joined into connected
 * groups: if A conflicts with B and B with C, one person's decision covers
 * all three, so they make one conflict (and one question).
 */
export function groupConflicts(
  overlaps: readonly Overlap[],
  declared: readonly { ids: string[]; tradeoffs: string }[],
): Conflict[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const add = (x: string) => void (parent.has(x) || parent.set(x, x));
  const join = (ids: readonly string[]) => {
    ids.forEach(add);
    for (const id of ids.slice(1)) {
      const [a, b] = [find(ids[0]!), find(id)];
      // biome-ignore lint/complexity/useMathMinMax: a and b are ids (strings): the later id points at the earlier.
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  };
  for (const o of overlaps) join(o.ids);
  for (const d of declared) join(d.ids);

  const groups = new Map<string, Conflict>();
  for (const id of [...parent.keys()].sort()) {
    const root = find(id);
    const group = groups.get(root) ?? { ids: [], files: [], tradeoffs: [] };
    group.ids.push(id);
    groups.set(root, group);
  }
  for (const o of overlaps) groups.get(find(o.ids[0]))!.files.push(...o.files);
  for (const d of declared) groups.get(find(d.ids[0]!))!.tradeoffs.push(d.tradeoffs.trim());
  return [...groups.values()]
    .map((g) => ({ ids: g.ids, files: [...new Set(g.files)].sort(), tradeoffs: g.tradeoffs }))
    .sort((a, b) => a.ids[0]!.localeCompare(b.ids[0]!));
}

/** The message de-duplication key: one question per conflict, ever. */
export function conflictKey(conflict: Pick<Conflict, 'ids'>): string {
  return `proposal-conflict:${[...conflict.ids].sort().join('+')}`;
}
