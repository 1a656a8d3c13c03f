import { Command, CommanderError } from 'commander';
import { isKnownError } from '../core/errors.js';
import { registerCommands } from './commands/register.js';
import { printError } from './output.js';
import { packageVersion } from './version.js';

/** Build the program; exported so tests can inspect --help without a process. */
export function buildProgram(): Command {
  const program = new Command('tickfleet')
    .description('Run a fleet of autonomous Claude Code agents on one git repository, one cron tick at a time.')
    .version(packageVersion(), '-V, --version', 'print the version of tickfleet')
    .option('-C, --project <dir>', 'the host project (default: the git work tree containing the current directory)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Parse argv, run the command, map errors to exit codes. Returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isKnownError(err)) {
      printError(err.message, err.details);
      return err.exitCode;
    }
    throw err;
  }
}
