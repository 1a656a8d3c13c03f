import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A cycle between files of src/config makes the order in which they load matter
// (a constant read before it is set) and keeps the folders from being understood
// one at a time; type-only imports count, as they tie the files together just the same.
const CONFIG = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'config');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(p);
    return entry.name.endsWith('.ts') ? [p] : [];
  });
}

/** The files of src/config a file imports (static, re-exported or dynamic), `.js` specifiers read as `.ts`. */
function configImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map(
    (m) => m[1]!,
  );
  return specifiers
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((target) => target.startsWith(CONFIG + path.sep));
}

/** Every cycle found by a depth-first search, each as the chain of files that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      found.push([...stack.slice(at), file]);
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    stack.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

describe('src/config imports', () => {
  const files = tsFiles(CONFIG);
  const graph = new Map(files.map((f) => [f, configImports(f)]));
  const rel = (f: string) => path.relative(CONFIG, f);

  it('reads the imports of every file', () => {
    expect(files.length).toBeGreaterThan(10);
    // Guards the parser: a test that finds no imports would find no cycles either.
    expect(graph.get(path.join(CONFIG, 'load.ts'))).toContain(path.join(CONFIG, 'validate', 'validate.ts'));
    expect(graph.get(path.join(CONFIG, 'validate', 'rules.ts'))).toContain(
      path.join(CONFIG, 'validate', 'ruleContext.ts'),
    );
  });

  it('name only files that exist', () => {
    const missing = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => !graph.has(t)).map((t) => `${rel(f)} -> ${rel(t)}`),
    );
    expect(missing).toEqual([]);
  });

  it('form no cycle between files', () => {
    expect(cycles(graph).map((chain) => chain.map(rel).join(' -> '))).toEqual([]);
  });

  it('the search finds a cycle where there is one', () => {
    const a = path.join(CONFIG, 'a.ts');
    const b = path.join(CONFIG, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ).map((chain) => chain.map(rel)),
    ).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});
