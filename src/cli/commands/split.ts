import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import type { SplitChild } from '../../tasks/split.js';
import { print, printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

interface SplitOpts {
  child: string[];
  after: string[];
  role?: string;
  token?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `tickfleet split`: the agent holding a task splits it into children. */
export function register(program: Command): void {
  program
    .command('split')
    .description(
      'split the task you hold into smaller tasks (run by its agent, with the lease token in $TICKFLEET_LEASE_TOKEN); it completes when every child is merged',
    )
    .argument('<task-id>', 'the task being worked on ($TICKFLEET_TASK_ID)')
    .option(
      '--child <"title :: what to do">',
      'one child, in order (repeat); the text after :: becomes its body',
      collect,
      [],
    )
    .option('--after <n:m,...>', 'child n waits for the earlier children m, ... (1-based; repeat)', collect, [])
    .option('--role <role>', "task role of every child (default: the task's own)")
    .option('--token <token>', 'the lease token (default: $TICKFLEET_LEASE_TOKEN)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: SplitOpts, cmd: Command) => {
      const token = opts.token ?? process.env.TICKFLEET_LEASE_TOKEN;
      if (!token)
        throw new UsageError(
          `split ${id}: no lease token; only the agent working on the task can split it ($TICKFLEET_LEASE_TOKEN, or --token)`,
        );
      const children = splitChildrenOption(opts);
      const layout = initialisedLayout(cmd);
      const { loadConfig } = await import('../../config/load.js');
      const { splitTask } = await import('../../tasks/split.js');
      const { config } = await loadConfig(layout);
      const done = await splitTask(layout, id, token, children, {
        maxDepth: config.tasks.max_depth,
        by: currentActor().name,
      });
      if (opts.json) return printJson({ parent: done.parent.id, children: done.children });
      print(`${id} split into ${done.children.length} tasks; it completes when every one is merged:`);
      for (const c of done.children)
        print(`  ${c.id} [${c.role}] ${c.title}${c.blocked_by.length ? ` (after ${c.blocked_by.join(', ')})` : ''}`);
      print('End your run now with a short summary of why you split it: no commit is needed.');
    });
}

/** `--child` and `--after` as the library takes them; a malformed one is a usage error naming it. */
export function splitChildrenOption(opts: Pick<SplitOpts, 'child' | 'after' | 'role'>): SplitChild[] {
  if (opts.child.length === 0)
    throw new UsageError('split: give the children with --child "title :: what to do" (repeat it, in order)');
  const children: SplitChild[] = opts.child.map((text) => {
    const cut = text.indexOf('::');
    const title = (cut < 0 ? text : text.slice(0, cut)).trim();
    const body = cut < 0 ? undefined : text.slice(cut + 2).trim();
    return { title, ...(body ? { body } : {}), ...(opts.role ? { role: opts.role } : {}) };
  });
  for (const spec of opts.after) {
    const m = /^\s*(\d+)\s*:\s*(\d+(?:\s*,\s*\d+)*)\s*$/.exec(spec);
    if (!m) throw new UsageError(`--after ${spec}: expected n:m or n:m,k (child n waits for children m and k)`);
    const n = Number(m[1]);
    const child = children[n - 1];
    if (!child) throw new UsageError(`--after ${spec}: there is no child ${n} (${children.length} given)`);
    child.after = [...(child.after ?? []), ...m[2]!.split(',').map((x) => Number(x.trim()))];
  }
  return children;
}
