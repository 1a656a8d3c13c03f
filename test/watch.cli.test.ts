import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueTask } from '../src/tasks/enqueue.js';
import { CLI } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';

const YAML = `review:\n  backend: local\nagents:\n  - name: impl-1\n    role: implementer\n    paused: true\n`;

/** A CLI process whose stdout the test can wait on, line by line. */
function start(args: string[]): {
  child: ChildProcess;
  output: () => string;
  until: (re: RegExp) => Promise<void>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString('utf8');
    for (const w of waiters.splice(0)) w.re.test(out) ? w.resolve() : waiters.push(w);
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out + err,
    until: (re) =>
      re.test(out)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            waiters.push({ re, resolve });
            void exit.then(() => reject(new Error(`exited before ${re}: ${out}${err}`)));
          }),
    exit,
  };
}

describe('tickfleet watch (built CLI)', () => {
  it('ticks at once and when a task lands in incoming/, and stops cleanly on Ctrl-C', async () => {
    const layout = await fleetProject(YAML);
    const watch = start(['-C', layout.root, 'watch', '--interval', '3600']);
    await watch.until(/tick \(start\): 0 started, 1 waiting/);
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    await watch.until(/tick \(incoming\): 0 started, 1 waiting/);
    watch.child.kill('SIGINT');
    expect(await watch.exit, watch.output()).toBe(0);
    expect(watch.output()).toContain('stopped; runs in progress go on');
    expect(readFileSync(path.join(layout.logs, 'tick.log'), 'utf8')).toMatch(
      /tick \(start\)[^\n]*\n[^\n]*tick \(incoming\)/,
    );
  });

  it('status --watch redraws on a queue change and exits 0 on Ctrl-C', async () => {
    const layout = await fleetProject(YAML);
    const status = start(['-C', layout.root, 'status', '--watch', '--interval', '3600']);
    await status.until(/needs a person/);
    await enqueueTask(layout, { title: 'Some work', role: 'implement', created_by: 'test' });
    await status.until(/^ {2}implement +1 +0 +0 +0$/m);
    status.child.kill('SIGINT');
    expect(await status.exit, status.output()).toBe(0);
  });
});
