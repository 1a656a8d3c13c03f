import type { Command } from 'commander';
import { dim, green, print, printJson, useColor, yellow } from '../output.js';
import { initialisedLayout } from '../project.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check what an unattended fleet needs (agents.yaml, node, git, the client and its login, gh, the tick, locks, worktrees); each finding with its fix',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const layout = initialisedLayout(cmd);
      const { runDoctor, hasErrors } = await import('../../doctor/doctor.js');
      const { formatFindings } = await import('../../doctor/format.js');
      const findings = await runDoctor(layout);
      if (opts.json) printJson({ ok: !hasErrors(findings), findings });
      else {
        // output.ts's red() is for stderr; the findings go to stdout.
        const red = (t: string) => (useColor() ? `\u001b[31m${t}\u001b[0m` : t);
        print(formatFindings(findings, { ok: green, warn: yellow, error: red, dim }).join('\n'));
      }
      if (hasErrors(findings)) process.exitCode = 1;
    });
}
