import { type Document, isAlias, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';

/**
 * The pairs of a mapping with `<<: *anchor` merges expanded: a key written in
 * the mapping itself wins over a merged one, as in YAML. `badMerge` hears of
 * a merge that names something other than a mapping.
 */
export function mergedPairs(
  doc: Document.Parsed,
  node: YAMLMap,
  badMerge: (pair: Pair<unknown, unknown>) => void,
): Pair<unknown, unknown>[] {
  const own: Pair<unknown, unknown>[] = [];
  const merged: Pair<unknown, unknown>[] = [];
  for (const pair of node.items as Pair<unknown, unknown>[]) {
    // With merges on, the parser gives the `<<` key a symbol as its value.
    if (!(isScalar(pair.key) && typeof pair.key.value === 'symbol')) {
      own.push(pair);
      continue;
    }
    for (const source of isSeq(pair.value) ? pair.value.items : [pair.value]) {
      const target = isAlias(source) ? source.resolve(doc) : source;
      if (isMap(target)) merged.push(...mergedPairs(doc, target, badMerge));
      else badMerge(pair);
    }
  }
  const written = new Set(own.map(keyOf));
  return [...own, ...merged.filter((p) => !written.has(keyOf(p)))];
}

export function keyOf(pair: Pair<unknown, unknown>): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}
