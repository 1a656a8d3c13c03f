import type { Command } from 'commander';
import { bold, green, print, printJson, table, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

/**
 * `tickfleet config check [--json]`: validate agents.yaml. Problems make
 * loadConfig throw an ExitError listing every one (exit 1); warnings go to
 * stderr so `--json` output stays parseable.
 */
export function register(program: Command): void {
  const config = program.command('config').description('the fleet configuration (.orchestrator/agents.yaml)');

  config
    .command('check')
    .description('validate agents.yaml: list every problem, or show the resolved configuration')
    .option('--json', 'print the resolved configuration (every default filled in) as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      // Loaded here, not at start-up: every command pays only for what it uses.
      const { configLabel, loadConfig } = await import('../../config/load.js');
      const { formatProblem } = await import('../../config/validate/validate.js');
      const { summariseConfig } = await import('../../config/summary.js');
      const layout = initialisedLayout(cmd);
      const { config: resolved, warnings } = await loadConfig(layout);
      const label = configLabel(layout);
      // The colour helpers are typed for stdout; stderr is the same kind of stream.
      const mark = yellow('⚠', process.stderr as unknown as typeof process.stdout);
      for (const w of warnings) process.stderr.write(`${mark} ${formatProblem(w, label)}\n`);
      // A valid file can still name a client that cannot start: say so before a tick spends an attempt on it.
      const { clientStartProblems } = await import('../../claude/startable.js');
      const clients = await clientStartProblems(resolved.agents, { root: layout.root, depth: 'full' });
      for (const [agent, p] of Object.entries(clients))
        process.stderr.write(`${mark} agent ${agent}: a start would fail: ${p.reason} (${p.fix})\n`);
      if (opts.json) return printJson(resolved);

      const summary = summariseConfig(resolved);
      const count = resolved.agents.length;
      print(
        `${green('✓')} ${label}: valid, ${count} agent${count === 1 ? '' : 's'}${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`,
      );
      print(table(summary.settings));
      if (count > 0) {
        print(bold('agents'));
        print(table(summary.agents, '  '));
      }
    });
}
