import { compareClaimOrder } from '../order.js';
import type { Entry, FolderIndex } from './model.js';

/** One incoming file in claim order: its name and the entry it had when it was placed. */
export interface Placed {
  name: string;
  entry: Entry;
}

/**
 * A folder's files of one role in claim order, kept per process. Built once
 * (one sort), then brought up to date at each use from the names the folder
 * logged as set since (model.ts `touched`): each is placed by binary search.
 * A file removed or replaced since it was placed is recognised by its entry
 * no longer being the folder's, and passed over (and dropped when it is at
 * the front, where every claim takes from). Rebuilt when the log started
 * again or when such leftovers may outnumber the folder's files.
 */
interface Order {
  epoch: number;
  /** How much of the folder's change log is placed already. */
  seen: number;
  byRole: Map<string, Placed[]>;
  /** How many are placed, leftovers included. */
  size: number;
}

const orders = new WeakMap<FolderIndex, Order>();

/** The files of `role` with a summary, first to be claimed first; a caller stops at the first it can use. */
export function* claimOrder(folder: FolderIndex, role: string): Generator<Placed> {
  const order = current(folder);
  const list = order.byRole.get(role);
  if (!list) return;
  let i = 0;
  while (i < list.length) {
    const p = list[i]!;
    if (folder.files.get(p.name) !== p.entry) {
      if (i === 0) {
        list.shift();
        order.size--;
      } else i++;
      continue;
    }
    yield p;
    i++;
  }
}

function current(folder: FolderIndex): Order {
  let order = orders.get(folder);
  if (!order || order.epoch !== folder.epoch || order.size > 2 * folder.files.size + 64) {
    order = build(folder);
    orders.set(folder, order);
    return order;
  }
  // Newest first, so a name set twice since is placed once, at its latest entry; a name since deleted, not at all.
  const placed = new Set<string>();
  for (let i = folder.touched.length - 1; i >= order.seen; i--) {
    const name = folder.touched[i]!;
    if (placed.has(name)) continue;
    placed.add(name);
    const entry = folder.files.get(name);
    if (entry?.s) place(order, { name, entry });
  }
  order.seen = folder.touched.length;
  return order;
}

function build(folder: FolderIndex): Order {
  const byRole = new Map<string, Placed[]>();
  let size = 0;
  for (const [name, entry] of folder.files) {
    if (!entry.s) continue;
    const list = byRole.get(entry.s.role) ?? [];
    byRole.set(entry.s.role, list);
    list.push({ name, entry });
    size++;
  }
  for (const list of byRole.values()) list.sort((a, b) => compareClaimOrder(a.entry.s!, b.entry.s!));
  return { epoch: folder.epoch, seen: folder.touched.length, byRole, size };
}

function place(order: Order, p: Placed): void {
  const role = p.entry.s!.role;
  const list = order.byRole.get(role) ?? [];
  order.byRole.set(role, list);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareClaimOrder(list[mid]!.entry.s!, p.entry.s!) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, p);
  order.size++;
}
