// Time of `git worktree add --detach` against createTaskWorktree (which also
// fetches, checks for a reusable worktree and a stale registration) on a
// repository of 5,000 files. No assertion: it prints the figures.
//
//   npm run build && node bench/worktree.mjs [files] [rounds]
//   TICKFLEET_DIST=/path/to/dist node bench/worktree.mjs   (another build)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const files = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 10);
const dist =
  process.env.TICKFLEET_DIST ??
  path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', 'dist');
const { createTaskWorktree } = await import(pathToFileURL(path.join(dist, 'git', 'worktree.js')).href);
const { removeWorktree } = await import(pathToFileURL(path.join(dist, 'git', 'remove.js')).href);

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
};
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

const dir = mkdtempSync(path.join(os.tmpdir(), 'tickfleet-bench-wt-'));
try {
  const root = path.join(dir, 'repo');
  mkdirSync(root);
  git(root, 'init', '-q', '-b', 'main');
  for (let i = 0; i < files; i++) {
    const sub = path.join(root, 'src', `d${i % 50}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'bench files');

  const plain = [];
  const ours = [];
  for (let r = 0; r < rounds; r++) {
    const a = path.join(dir, 'plain', `wt${r}`);
    let t = performance.now();
    git(root, 'worktree', 'add', '-q', '--detach', a, 'main');
    plain.push(performance.now() - t);
    git(root, 'worktree', 'remove', '--force', a);

    const b = path.join(root, '.orchestrator', 'agents', 'bench', `wt${r}`);
    t = performance.now();
    await createTaskWorktree(root, { path: b, base: 'main' });
    ours.push(performance.now() - t);
    await removeWorktree(root, b);
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const fmt = (xs) => `median ${median(xs).toFixed(1)} ms, min ${Math.min(...xs).toFixed(1)} ms`;
  console.log(`worktree of ${files} files, ${rounds} rounds`);
  console.log(`  git worktree add --detach : ${fmt(plain)}`);
  console.log(`  createTaskWorktree        : ${fmt(ours)}`);
  console.log(`  overhead                  : ${(median(ours) - median(plain)).toFixed(1)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
