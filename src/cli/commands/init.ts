import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { layoutFor } from '../../core/paths.js';
import type { Ask } from '../../init/choices.js';
import { print, printJson } from '../output.js';
import { projectRoot } from '../project.js';

interface InitOpts {
  yes?: boolean;
  skills?: boolean;
  gitignore?: boolean;
  claudeMd?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'set tickfleet up in this project: .orchestrator/, agents.yaml, slash commands, .gitignore (safe to rerun)',
    )
    .option('-y, --yes', 'non-interactive: accept every default')
    .option('--skills', 'install the management slash commands into .claude/commands/ (the default)')
    .option('--no-skills', 'do not install slash commands')
    .option('--gitignore', "add tickfleet's runtime entries to .gitignore")
    .option('--no-gitignore', 'leave .gitignore alone')
    .option('--claude-md', 'append the two tickfleet lines to an existing claude.md / CLAUDE.md that lacks them')
    .option('--no-claude-md', 'leave claude.md alone')
    .option('--json', 'machine-readable output')
    .action(async (opts: InitOpts, cmd: Command) => {
      const { claudeMdState } = await import('../../init/claudeMd.js');
      const { formatInitReport } = await import('../../init/report.js');
      const { initProject } = await import('../../init/init.js');
      const { resolveChoices } = await import('../../init/choices.js');
      const layout = layoutFor(projectRoot(cmd));
      const claudeMd = await claudeMdState(layout);
      // Ask only on a terminal, and never while the output is meant for a program.
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true && opts.json !== true;
      const choices = await resolveChoices(opts, {
        interactive,
        ask: terminalAsk,
        ...(claudeMd.file && claudeMd.missing.length > 0 ? { claudeMdToEdit: claudeMd.file } : {}),
      });
      const result = await initProject(layout, choices);
      if (opts.json) return printJson(result);
      for (const line of formatInitReport(result)) print(line);
    });
}

/** A yes/no question on stderr (stdout stays clean for the report); Enter means yes. */
const terminalAsk: Ask = async (question) => {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [Y/n] `)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
};
