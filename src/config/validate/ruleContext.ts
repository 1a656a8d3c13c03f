import type { ConfigProblem, Role, WorkflowModel } from '../agentsConfig.js';

/** The checked value as the rules see it: invalid entries are already left out. */
export interface RawAgent {
  name?: string;
  role?: Role;
  focus?: string;
  interval_seconds?: number;
  task_role?: string;
  lanes?: unknown;
}

export interface RawLimit {
  max_active?: number;
  max_per_run?: number;
}

export interface RawConfig {
  model?: WorkflowModel;
  agents?: unknown[];
  proposal_limits?: Record<string, RawLimit>;
  proposal_defaults?: RawLimit;
  voice_weights?: Record<string, number>;
  curator?: { weights?: Record<string, number>; promote_threshold?: number };
  gatekeeper?: {
    enabled?: boolean;
    required_checks?: string[];
    optional_checks?: string[];
    commands?: Record<string, string>;
  };
}

export interface RuleOptions {
  /** Prompt files in .orchestrator/prompts/, without `.md`; undefined = none known. */
  promptNames?: ReadonlySet<string>;
}

/** What a rule may look at and where it reports. */
export class RuleContext {
  readonly problems: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  constructor(
    readonly raw: RawConfig,
    private readonly lines: ReadonlyMap<string, number>,
    readonly options: RuleOptions,
  ) {}

  /** Agents with their index in the file, skipping entries that were not mappings. */
  agents(): { agent: RawAgent; index: number }[] {
    return (this.raw.agents ?? []).flatMap((a, index) =>
      a !== null && typeof a === 'object' ? [{ agent: a as RawAgent, index }] : [],
    );
  }

  withRole(role: Role): RawAgent[] {
    return this.agents().flatMap(({ agent }) => (agent.role === role ? [agent] : []));
  }

  problem(path: string, message: string): void {
    this.problems.push(this.at(path, message));
  }

  warn(path: string, message: string): void {
    this.warnings.push(this.at(path, message));
  }

  /** Whether the file has a node at exactly this path (kept or not: an invalid value is dropped from the checked config). */
  written(path: string): boolean {
    return this.lines.has(path);
  }

  /** The line of a path, or of its nearest ancestor that has one. */
  lineOf(path: string): number | undefined {
    for (let p = path; p !== ''; p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '')) {
      const line = this.lines.get(p);
      if (line !== undefined) return line;
      if (!/(\.|\[)/.test(p)) break;
    }
    return undefined;
  }

  private at(path: string, message: string): ConfigProblem {
    const line = this.lineOf(path);
    return line === undefined ? { path, message } : { path, line, message };
  }
}
