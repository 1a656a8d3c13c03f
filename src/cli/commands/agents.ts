import type { Command } from 'commander';
import { ROLES, type Role } from '../../config/agentsConfig.js';
import { UsageError } from '../../core/errors.js';
import { print, printJson, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

interface EditResult {
  changed: boolean;
  description: string;
  warnings: readonly { message: string; path: string }[];
}

function report(result: EditResult, json?: boolean): void {
  if (json) {
    printJson(result);
    return;
  }
  print(result.changed ? result.description : `unchanged: ${result.description}`);
  for (const w of result.warnings) print(yellow(`warning: ${w.path}: ${w.message}`));
}

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return n;
}

/** Commands that edit agents in agents.yaml, keeping the user's comments and layout. */
export function register(program: Command): void {
  program
    .command('add-agent')
    .description('add an agent to agents.yaml')
    .argument('<name>', 'agent name (lowercase letters, digits, - and _)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--interval <seconds>', 'seconds between runs (default 300)')
    .option('--focus <focus>', 'specialty of a proposer or gatekeeper')
    .option('--paused', 'add it paused')
    .option('--json', 'machine-readable output')
    .action(
      async (
        name: string,
        opts: { role: string; interval?: string; focus?: string; paused?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        if (!ROLES.includes(opts.role as Role))
          throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${opts.role}`);
        const { addAgent } = await import('../../config/edit/edit.js');
        report(
          await addAgent(initialisedLayout(cmd), {
            name,
            role: opts.role as Role,
            ...(opts.interval !== undefined ? { interval_seconds: positiveInt(opts.interval, '--interval') } : {}),
            ...(opts.focus ? { focus: opts.focus } : {}),
            ...(opts.paused ? { paused: true } : {}),
          }),
          opts.json,
        );
      },
    );

  for (const [verb, paused] of [
    ['pause-agent', true],
    ['resume-agent', false],
  ] as const) {
    program
      .command(verb)
      .description(paused ? 'pause an agent (a run in progress finishes)' : 'resume a paused agent')
      .argument('<name>', 'agent name')
      .option('--json', 'machine-readable output')
      .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
        const { setAgentPaused } = await import('../../config/edit/edit.js');
        report(await setAgentPaused(initialisedLayout(cmd), name, paused), opts.json);
      });
  }

  program
    .command('tune-intervals')
    .description("change an agent's interval")
    .argument('<name>', 'agent name')
    .argument('<seconds>', 'seconds between runs')
    .option('--json', 'machine-readable output')
    .action(async (name: string, seconds: string, opts: { json?: boolean }, cmd: Command) => {
      const { setAgentInterval } = await import('../../config/edit/edit.js');
      report(await setAgentInterval(initialisedLayout(cmd), name, positiveInt(seconds, '<seconds>')), opts.json);
    });

  program
    .command('tune-backpressure')
    .description('change queue_limits (max_incoming, max_claimed, max_open_prs)')
    .option('--max-incoming <n>', 'incoming + claimed tasks before creating more is refused')
    .option('--max-claimed <n>', 'tasks worked on at once')
    .option('--max-open-prs <n>', 'open PRs (or local reviews) before claiming stops')
    .option('--json', 'machine-readable output')
    .action(
      async (
        opts: { maxIncoming?: string; maxClaimed?: string; maxOpenPrs?: string; json?: boolean },
        cmd: Command,
      ) => {
        const { setQueueLimits } = await import('../../config/edit/edit.js');
        report(
          await setQueueLimits(initialisedLayout(cmd), {
            ...(opts.maxIncoming !== undefined
              ? { max_incoming: positiveInt(opts.maxIncoming, '--max-incoming') }
              : {}),
            ...(opts.maxClaimed !== undefined ? { max_claimed: positiveInt(opts.maxClaimed, '--max-claimed') } : {}),
            ...(opts.maxOpenPrs !== undefined ? { max_open_prs: positiveInt(opts.maxOpenPrs, '--max-open-prs') } : {}),
          }),
          opts.json,
        );
      },
    );

  program
    .command('pause-fleet')
    .description('stop all spawns (paused: true in agents.yaml); runs in progress finish')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { setFleetPaused } = await import('../../config/edit/edit.js');
      report(await setFleetPaused(initialisedLayout(cmd), true), opts.json);
    });

  program
    .command('resume-fleet')
    .description(
      'resume spawns: clears paused: true and any usage-limit or endpoint pause, and frees the tasks that pause held back',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { resumeFleet } = await import('../../fleet/resume.js');
      const { pause, freed, config: result } = await resumeFleet(initialisedLayout(cmd));
      if (pause)
        result.description = `${result.description}; fleet pause until ${pause.until} cleared${freed.length > 0 ? `, ${freed.length} task${freed.length === 1 ? '' : 's'} it held freed (${freed.join(', ')})` : ''}`;
      report({ ...result, changed: result.changed || pause !== undefined }, opts.json);
    });
}
