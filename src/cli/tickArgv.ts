/**
 * What cron runs every minute, `tickfleet [-C <dir>] scheduler [--json]
 * [--dry-run] [--debug]`, recognised without the CLI's command parser: the
 * tick then loads its own program file and nothing else (src/cli.ts).
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

const COMMANDS = new Set(['scheduler', 'tick']);

/** The tick's arguments from process.argv, or undefined for the full CLI. */
export function tickArgv(argv: readonly string[]): TickArgv | undefined {
  const args = argv.slice(2);
  let project: string | undefined;
  let i = 0;
  for (; i < args.length && !COMMANDS.has(args[i]!); i++) {
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
  const out: TickArgv = { json: false, dryRun: false, debug: false };
  for (const flag of args.slice(i + 1)) {
    if (flag === '--json') out.json = true;
    else if (flag === '--dry-run') out.dryRun = true;
    else if (flag === '--debug') out.debug = true;
    else return undefined;
  }
  return project === undefined ? out : { ...out, project };
}
