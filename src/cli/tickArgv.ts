/**
 * What cron runs every minute, `tickfleet [-C <dir>] scheduler [--json]
 * [--dry-run] [--debug]`, and `queue-status [--json]`, which scripts and
 * dashboards poll, recognised without the CLI's command parser: the tick
 * then loads its own program file and nothing else, queue-status only its
 * own code (src/cli.ts).
 * Anything else, `--help` and every unusual spelling included, is left to
 * the full CLI, which parses it as always; so this only has to be right
 * about what it accepts.
 */
export interface TickArgv {
  /** `-C` / `--project`, when given. */
  project?: string;
  json: boolean;
  dryRun: boolean;
  debug: boolean;
}

/** `queue-status [--json]` with an optional `-C`, recognised the same way (cli/queueStatusProgram.ts). */
export interface QueueStatusArgv {
  project?: string;
  json: boolean;
}

/** The tick's arguments from process.argv, or undefined for the full CLI. */
export function tickArgv(argv: readonly string[]): TickArgv | undefined {
  const a = commandArgv(argv, ['scheduler', 'tick'], ['--json', '--dry-run', '--debug']);
  if (!a) return undefined;
  const out: TickArgv = {
    json: a.flags.has('--json'),
    dryRun: a.flags.has('--dry-run'),
    debug: a.flags.has('--debug'),
  };
  return a.project === undefined ? out : { ...out, project: a.project };
}

/** queue-status's arguments from process.argv, or undefined for the full CLI. */
export function queueStatusArgv(argv: readonly string[]): QueueStatusArgv | undefined {
  const a = commandArgv(argv, ['queue-status'], ['--json']);
  if (!a) return undefined;
  const out: QueueStatusArgv = { json: a.flags.has('--json') };
  return a.project === undefined ? out : { ...out, project: a.project };
}

/**
 * `[-C <dir>] <command> [flag...]` for one of `commands`, each flag one of
 * `flags`; undefined for anything else, which the full CLI then parses.
 */
function commandArgv(
  argv: readonly string[],
  commands: readonly string[],
  flags: readonly string[],
): { project?: string; flags: Set<string> } | undefined {
  const args = argv.slice(2);
  let project: string | undefined;
  let i = 0;
  for (; i < args.length && !commands.includes(args[i]!); i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === '-C' || arg === '--project') value = args[++i];
    else if (arg.startsWith('--project=')) value = arg.slice('--project='.length);
    else return undefined;
    // An empty or dash-led value, or a second -C, is the parser's to judge.
    if (value === undefined || value === '' || value.startsWith('-') || project !== undefined) return undefined;
    project = value;
  }
  if (i >= args.length) return undefined;
  const given = new Set<string>();
  for (const flag of args.slice(i + 1)) {
    if (!flags.includes(flag)) return undefined;
    given.add(flag);
  }
  return project === undefined ? { flags: given } : { project, flags: given };
}
