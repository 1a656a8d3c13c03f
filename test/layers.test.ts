import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, lowest first; docs/internals.md ("Layers") says the
 * same in words. A folder may import only folders of lower layers: never its
 * own layer's other folders, never a higher one. `.` is the files directly in
 * src/ (the CLI's entry and the library's index).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['process'],
  ['config'],
  ['tasks', 'proposals', 'messages', 'agents', 'ledger', 'metrics', 'slash', 'scripted-api'],
  ['fleet', 'git', 'claude', 'init', 'plans'],
  ['review'],
  ['gatekeeper'],
  ['run'],
  ['roles'],
  ['runner'],
  ['merge-queue'],
  ['scheduler'],
  ['setup'],
  ['watch'],
  ['status'],
  ['doctor', 'report'],
  ['serve'],
  ['cli', 'demo'],
  ['.'],
];

const SRC = path.resolve(import.meta.dirname, '..', 'src');

/** Relative path under src/ → its source text. */
type Sources = ReadonlyMap<string, string>;

/** Folder → folder it imports → the imports that make that edge (`file: specifier`). */
type FolderGraph = Map<string, Map<string, string[]>>;

function readSources(dir: string, root = dir, out = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) readSources(file, root, out);
    else if (entry.name.endsWith('.ts'))
      out.set(path.relative(root, file).split(path.sep).join('/'), readFileSync(file, 'utf8'));
  }
  return out;
}

/** The top folder of a path relative to src/ (`.` for a file directly in it). */
function folderOf(rel: string): string {
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0]! : '.';
}

/**
 * Every relative import, re-export, `import type` and `import()` between
 * folders. The TypeScript scanner finds them, so a path inside a string or a
 * template (the demo's sample project) is not taken for an import.
 */
function folderGraph(sources: Sources): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const [file, text] of sources) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const to = target.startsWith('../') ? target : folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from)!;
      edges.set(to, [...(edges.get(to) ?? []), `${file}: ${spec}`]);
    }
  }
  return graph;
}

/** Each group of folders that import one another in a circle (Tarjan's strongly connected components). */
function cycles(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      group.push(w);
    } while (w !== v);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One line per folder without a layer and per import that does not go down. */
function ruleBreaks(graph: FolderGraph, layers: readonly (readonly string[])[]): string[] {
  const layerOf = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
  const breaks: string[] = [];
  const folders = new Set([...graph.keys(), ...[...graph.values()].flatMap((edges) => [...edges.keys()])]);
  for (const folder of [...folders].sort()) if (!layerOf.has(folder)) breaks.push(`${folder}: in no layer`);
  for (const [from, edges] of graph) {
    for (const [to, imports] of edges) {
      const a = layerOf.get(from);
      const b = layerOf.get(to);
      if (a === undefined || b === undefined || b < a) continue;
      breaks.push(`${from} -> ${to} (${b === a ? 'same layer' : 'upwards'}): ${imports.join(', ')}`);
    }
  }
  return breaks.sort();
}

describe('the layers of src/', () => {
  const graph = folderGraph(readSources(SRC));

  it('no folders import one another in a circle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('every folder has a layer and imports only lower layers', () => {
    expect(ruleBreaks(graph, LAYERS)).toEqual([]);
  });

  it('nothing outside src/cli imports a CLI module, except the entry files in src/', () => {
    const importers = [...graph]
      .filter(([from, edges]) => from !== '.' && from !== 'cli' && edges.has('cli'))
      .map(([from]) => from);
    expect(importers).toEqual([]);
  });
});

describe('the layer check', () => {
  // a and b import each other; c is below a yet imports it; d is in no layer.
  const synthetic = new Map([
    ['a/one.ts', "import { two } from '../b/two.js';\nexport const one = 1;\n"],
    ['b/two.ts', "import type { one } from '../a/one.js';\nexport const two = 2;\n"],
    ['c/three.ts', "export const three = async () => (await import('../a/one.js')).one;\n"],
    ['d/four.ts', "const text = `import { one } from '../a/one.js'`;\n"],
  ]);
  const graph = folderGraph(synthetic);

  it('reports a cycle', () => {
    expect(cycles(graph)).toEqual([['a', 'b']]);
  });

  it('reports an import upwards, one within a layer, a folder without a layer, and no import inside a string', () => {
    expect(ruleBreaks(graph, [['c'], ['a'], ['b']])).toEqual([
      'a -> b (upwards): a/one.ts: ../b/two.js',
      'c -> a (upwards): c/three.ts: ../a/one.js',
      'd: in no layer',
    ]);
    expect(ruleBreaks(graph, [['c'], ['a', 'b'], ['d']])).toEqual([
      'a -> b (same layer): a/one.ts: ../b/two.js',
      'b -> a (same layer): b/two.ts: ../a/one.js',
      'c -> a (upwards): c/three.ts: ../a/one.js',
    ]);
  });
});
