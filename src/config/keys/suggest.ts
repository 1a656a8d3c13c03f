/** "Did you mean ...?" for a mistyped key or value. */

/** Edit distance (insert, delete, substitute, swap two neighbours). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known word the user most likely meant: within two edits (case and
 * `-`/`_` ignored), or one that starts with what they wrote (`interval` for
 * `interval_seconds`). Undefined when nothing is close.
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, '_');
  const w = norm(word);
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const c = norm(candidate);
    const distance = c === w ? 0 : editDistance(w, c);
    if (distance <= 2 && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  if (best) return best.word;
  if (w.length >= 4) return known.find((k) => norm(k).startsWith(w) || w.startsWith(norm(k)));
  return undefined;
}
