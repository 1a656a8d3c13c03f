import path from 'node:path';
import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import { print, printJson } from '../output.js';
import { initialisedLayout } from '../project.js';

export function register(program: Command): void {
  const plan = program.command('plan').description('markdown plans: jobs with dependencies, queued as tasks');

  plan
    .command('import')
    .description(
      'queue the jobs of a markdown plan as tasks with their dependencies; again after an edit, only what is new',
    )
    .argument('<file.md>', 'the plan (README, "Plans")')
    .option('--force', 'queue jobs of a role no agent claims yet (people only; commands.allow still applies)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }, cmd: Command) => {
      const actor = currentActor();
      if (opts.force && actor.isAgent) throw new UsageError(`--force is for people; agent ${actor.name} cannot use it`);
      const layout = initialisedLayout(cmd);
      const { loadConfig } = await import('../../config/load.js');
      const { claimedTaskRoles } = await import('../../roles/taskRole.js');
      const { importPlan } = await import('../../plans/import.js');
      const { config } = await loadConfig(layout);
      const report = await importPlan(layout, config, path.resolve(file), {
        actor: actor.name,
        ...(opts.force ? {} : { claimedRoles: claimedTaskRoles(config) }),
      });
      if (opts.json) return printJson(report);
      const { formatImport } = await import('../../plans/format.js');
      for (const line of formatImport(report)) print(line);
    });

  plan
    .command('status')
    .description("a plan's jobs: each one's task and lifecycle, what it waits for, the tasks split from it")
    .argument('<plan>', "the plan's id (from its name), its name, or its file")
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const { planStatus } = await import('../../plans/status.js');
      const status = await planStatus(initialisedLayout(cmd), ref);
      if (opts.json) return printJson(status);
      const { formatPlanStatus } = await import('../../plans/format.js');
      for (const line of formatPlanStatus(status)) print(line);
    });
}
