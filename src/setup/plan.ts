/** The system schedulers `tickfleet setup` can install the per-minute tick into. */
export const SCHEDULER_KINDS = ['cron', 'launchd', 'systemd'] as const;
export type SchedulerKind = (typeof SCHEDULER_KINDS)[number];

export function isSchedulerKind(value: string): value is SchedulerKind {
  return (SCHEDULER_KINDS as readonly string[]).includes(value);
}

/**
 * What every scheduler runs, whatever its file format: one `tickfleet
 * scheduler` in the project, by absolute paths, with a PATH that finds the
 * tools the tick starts.
 */
export interface TickSpec {
  /** Absolute host project root; also the working directory. */
  root: string;
  /** Absolute path of the node binary (the one running now). */
  node: string;
  /** Absolute path of the built CLI (`<package>/dist/bundle/cli.js`). */
  cli: string;
  /** Arguments after the CLI: `-C <root> scheduler`. */
  args: string[];
  /** With `--serve`: the arguments of the long-running server, `-C <root> serve`. */
  serveArgs?: string[];
  /** PATH for the tick: node's folder, where claude/gh/git are found now, then system folders. */
  path: string;
  /** Where the tick's stdout and stderr are appended. */
  logFile: string;
  /** Short name for unit files and labels: `<folder-name>-<hash of the root>`. */
  slug: string;
  /** Problems the tick would hit (a tool not found, the CLI not built). */
  warnings: string[];
}

/** A file a scheduler reads (plist, unit file), with the text we would write. */
export interface PlannedFile {
  path: string;
  content: string;
}

/** Everything `setup <kind>` would install; `--print` shows exactly this. */
export interface SetupPlan {
  kind: SchedulerKind;
  spec: TickSpec;
  /** launchd and systemd: the files to write. */
  files: PlannedFile[];
  /** cron: the one crontab line, marker comment included. */
  crontabLine?: string;
  /** Commands run after the files are in place, for the reader (argv form). */
  activate: string[][];
  /** Facts the user should know (for example systemd lingering). */
  notes: string[];
}

/** What happened to one thing setup looked after. */
export type SetupAction = 'created' | 'updated' | 'unchanged' | 'removed' | 'absent';

export interface SetupItem {
  /** A file path, or `crontab` for the crontab entry. */
  path: string;
  action: SetupAction;
}

export interface SetupResult {
  kind: SchedulerKind;
  root: string;
  /** `installed`/`unchanged` after an install; `removed`/`absent` after --uninstall. */
  outcome: 'installed' | 'unchanged' | 'removed' | 'absent';
  items: SetupItem[];
  /** External commands that were run, as typed. */
  ran: string[];
  /** A step that could not be done here (the scheduler's control tool is missing) and what to run instead. */
  skipped: string[];
  warnings: string[];
  plan: SetupPlan;
}

/** `.orchestrator/setup.json`: what is installed, so `doctor` can tell whether the tick runs. */
export interface InstalledTick {
  kind: SchedulerKind;
  installed_at: string;
  /** Files written, or `crontab`. */
  paths: string[];
  log: string;
  /** The command the scheduler runs, argv form. */
  command: string[];
  /** launchd label or systemd timer unit; the crontab marker for cron. */
  id: string;
  /** False when the control tool (launchctl, systemctl) was missing and only the files were written. */
  activated: boolean;
}
