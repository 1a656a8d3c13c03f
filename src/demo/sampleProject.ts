import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';

/** The demo's host project: a tiny Node library with a test, in its own git repository. */
const FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'greeter', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source for a sample project, template literal included.
  'src/greet.js': 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n',
  'test/greet.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from '../src/greet.js';\n\ntest('greets by name', () => {\n  assert.equal(greet('Ada'), 'Hello, Ada!');\n});\n",
  'README.md': '# greeter\n\nSays hello.\n',
  'CLAUDE.md':
    '# greeter\n\nIf .agent-instructions.md exists in this directory, read and follow those instructions.\n\nCheck .orchestrator/messages/ for any agent messages and inform the user of warnings or questions.\n',
};

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Demo User',
  GIT_AUTHOR_EMAIL: 'demo@example.invalid',
  GIT_COMMITTER_NAME: 'Demo User',
  GIT_COMMITTER_EMAIL: 'demo@example.invalid',
};

export function makeSampleProject(dir: string): string {
  const root = path.join(dir, 'greeter');
  mkdirSync(root, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, env: { ...process.env, ...IDENTITY }, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'greeter: first version');
  // In a real project tickfleet is a submodule (`git submodule add … orchestrator`);
  // the demo links this checkout in its place and keeps the link out of git.
  symlinkSync(packageRoot(), path.join(root, 'orchestrator'));
  writeFileSync(path.join(root, '.git', 'info', 'exclude'), '/orchestrator\n', { flag: 'a' });
  return root;
}
