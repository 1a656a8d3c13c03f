import type { Command } from 'commander';
import { dim, green, print, printJson, table, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

export function register(program: Command): void {
  program
    .command('agent-status')
    .description("each agent's state: running, due, waiting, blocked or paused, and why")
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { agentStatuses } = await import('../../status/agentStatus.js');
      const { agents } = await agentStatuses(initialisedLayout(cmd));
      if (opts.json) return printJson(agents);
      if (agents.length === 0) return print(dim('no agents in agents.yaml: add one with `tickfleet add-agent`'));
      const paint = (phase: string) =>
        phase === 'running' || phase === 'due' ? green(phase) : phase === 'blocked' ? yellow(phase) : phase;
      const rows = agents.map((a) => [
        a.name,
        a.role + (a.focus ? `/${a.focus}` : ''),
        paint(a.phase),
        a.reason,
        a.last_outcome ? `last: ${a.last_outcome.kind}` : dim('never ran'),
        `$${a.cost_today_usd.toFixed(2)} today`,
      ]);
      print(table(rows));
    });
}
