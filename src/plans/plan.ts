/**
 * A markdown plan (`tickfleet plan import`): a name, a policy and jobs that
 * depend on each other. Each job's payload is a pointer (`@cmd:`, `@file:`,
 * `@doc:`, `@url:`, `@git:`, `@gh:`), never an essay; what it becomes is
 * decided by payload.ts.
 */
export interface Plan {
  /** The text after `# Plan:`. */
  name: string;
  /** The name as an id: lowercase words joined by `-`; a job's global id is `<slug>::<job id>`. */
  slug: string;
  /** `policy: key=value, ...`, as written. */
  policy: Record<string, string>;
  /** In file order. */
  jobs: PlanJob[];
}

/** What a job becomes: a command task, an agent's task, or nothing to queue. */
export type JobKind = 'command' | 'task' | 'metadata';

export interface PlanJob {
  id: string;
  /** 1-based line in the plan file. */
  line: number;
  lane: string;
  deps: string[];
  payload: string;
  /** `- [x]`: done outside tickfleet; not queued, and its dependents do not wait for it. */
  checked: boolean;
  kind: JobKind;
  /** The task role (`command` for a command task); undefined for metadata. */
  role?: string;
  /** One-line task title. */
  title: string;
  /** For kind `command`. */
  command?: string;
  /** `dedupe=` or the payload's `#sha1=`: jobs with the same key, in any plan, share one task. */
  dedupe?: string;
  /** sha1 of what the job's task is made from: an edited job hashes differently. */
  hash: string;
}

/** The jobs that become tasks: unchecked, and not metadata. */
export function isQueued(job: PlanJob): boolean {
  return !job.checked && job.kind !== 'metadata';
}

export function globalJobId(slug: string, job: string): string {
  return `${slug}::${job}`;
}

/** `My Feature!` → `my-feature`. */
export function planSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
