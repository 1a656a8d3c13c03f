import { createHash } from 'node:crypto';
import { COMMAND_TASK_ROLE } from '../config/commandTasks.js';
import { ExitError } from '../core/errors.js';
import { checkGraph } from './graph.js';
import { payloadMeaning } from './payload.js';
import { type Plan, type PlanJob, planSlug } from './plan.js';

const JOB_LINE = /^\s*[-*]\s+\[([ xX])\]\s*(.*)$/;
/** A line that starts like a job but is not one: refused rather than skipped, so no job is lost quietly. */
const LOOKS_LIKE_JOB = /^\s*[-*]\s+\[/;
const FIELD = /^([a-z_]+)=/;
const FIELDS = ['id', 'lane', 'deps', 'payload', 'dedupe', 'role'] as const;
type Field = (typeof FIELDS)[number];
const WORD = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ROLE = /^[a-z0-9][a-z0-9_-]*$/;
const EXAMPLE = 'example: - [ ] id=code.feature lane=2 deps=learn.context payload=@doc:LLM_TASK add the feature';

/** An error at one line of the plan file: `plan.md:7: …`. */
export function planError(file: string, line: number, message: string): ExitError {
  return new ExitError(`${file}:${line}: ${message}`);
}

/**
 * Read a plan (format in README, "Plans"). Everything is checked before
 * anything is queued: the header, every job line, duplicate ids, unknown
 * dependencies and cycles; the first problem in file order is thrown as a
 * one-line `file:line: …` error. Lines inside ``` fences are examples and
 * are skipped; prose and other markdown are ignored.
 */
export function parsePlan(text: string, file: string): Plan {
  let name: string | undefined;
  let policy: Record<string, string> = {};
  const jobs: PlanJob[] = [];
  const seen = new Map<string, number>();
  const orphans: number[] = [];
  let fenced = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    if (raw.includes('TODO_ORPHAN:')) orphans.push(line);
    const header = /^#\s+Plan:\s*(.*)$/.exec(raw);
    if (header) {
      if (name !== undefined) throw planError(file, line, 'a second "# Plan:" line; one file holds one plan');
      name = header[1]!.trim();
      if (planSlug(name) === '') throw planError(file, line, '"# Plan:" needs a name (example: # Plan: My Feature)');
      return;
    }
    const pol = /^policy:\s*(.*)$/.exec(raw);
    if (pol) {
      policy = parsePolicy(pol[1]!, file, line);
      return;
    }
    const m = JOB_LINE.exec(raw);
    if (!m) {
      if (LOOKS_LIKE_JOB.test(raw)) throw planError(file, line, `not a job line (${EXAMPLE})`);
      return;
    }
    if (name === undefined)
      throw planError(file, line, 'a job before the "# Plan: <name>" line; the plan starts with its name');
    const job = parseJob(m[2]!, m[1] !== ' ', file, line);
    const first = seen.get(job.id);
    if (first !== undefined) throw planError(file, line, `duplicate id ${job.id} (first at line ${first})`);
    seen.set(job.id, line);
    jobs.push(job);
  });
  if (fenced) throw planError(file, lines.length, 'a ``` fence is never closed');
  if (name === undefined) throw planError(file, 1, 'no "# Plan: <name>" line (example: # Plan: My Feature)');
  if (policy.accrue_all_ideas === 'true' && orphans.length > 0)
    throw planError(
      file,
      orphans[0]!,
      'TODO_ORPHAN: marker left while policy accrue_all_ideas=true; turn it into a job',
    );
  if (jobs.length === 0) throw planError(file, lines.length, `no jobs (${EXAMPLE})`);
  const problem = checkGraph(jobs);
  if (problem) throw planError(file, problem.line, problem.message);
  return { name, slug: planSlug(name), policy, jobs };
}

function parsePolicy(text: string, file: string, line: number): Record<string, string> {
  const policy: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const m = /^([a-z_][a-z0-9_]*)=(\S+)$/.exec(part);
    if (!m)
      throw planError(
        file,
        line,
        `policy entry ${JSON.stringify(part)} is not key=value (example: policy: no_refactor=true)`,
      );
    policy[m[1]!] = m[2]!;
  }
  return policy;
}

/**
 * `id=… lane=… deps=a,b payload=… dedupe=… role=…`. The payload runs to the
 * end of the line (a command has spaces), except a trailing ` dedupe=<key>`;
 * the other fields come before it, each one word.
 */
function parseJob(text: string, checked: boolean, file: string, line: number): PlanJob {
  const fields: Partial<Record<Field, string>> = {};
  let rest = text.trim();
  while (rest !== '') {
    const m = FIELD.exec(rest);
    if (!m) throw planError(file, line, `expected key=value, got ${JSON.stringify(rest.split(/\s/)[0])} (${EXAMPLE})`);
    const key = m[1] as Field;
    if (!FIELDS.includes(key)) throw planError(file, line, `unknown field ${key}= (fields: ${FIELDS.join(', ')})`);
    if (fields[key] !== undefined) throw planError(file, line, `${key}= given twice`);
    rest = rest.slice(m[0].length);
    if (key === 'payload') {
      const tail = /\s+dedupe=(\S+)\s*$/.exec(rest);
      if (tail && fields.dedupe === undefined) {
        fields.dedupe = tail[1]!;
        rest = rest.slice(0, tail.index);
      }
      fields.payload = rest.trim();
      rest = '';
    } else {
      const value = /^\S*/.exec(rest)![0];
      fields[key] = value;
      rest = rest.slice(value.length).trimStart();
    }
  }
  for (const key of ['id', 'lane', 'payload'] as const)
    if (!fields[key]) throw planError(file, line, `${key}= is missing (${EXAMPLE})`);
  const id = fields.id!;
  if (!WORD.test(id))
    throw planError(file, line, `id ${JSON.stringify(id)} must be one word of letters, digits, ".", "-" or "_"`);
  const lane = fields.lane!;
  if (!WORD.test(lane)) throw planError(file, line, `lane ${JSON.stringify(lane)} must be one word such as 2`);
  const deps = fields.deps === undefined ? [] : fields.deps.split(',');
  for (const dep of deps)
    if (!WORD.test(dep))
      throw planError(
        file,
        line,
        `deps ${JSON.stringify(fields.deps)}: give job ids joined by "," (example: deps=a,b)`,
      );
  if (fields.dedupe !== undefined && !WORD.test(fields.dedupe))
    throw planError(file, line, `dedupe ${JSON.stringify(fields.dedupe)} must be one word`);
  const meaning = payloadMeaning(fields.payload!, id);
  if (meaning.error !== undefined) throw planError(file, line, meaning.error);
  let role = meaning.role;
  if (fields.role !== undefined) {
    if (!ROLE.test(fields.role))
      throw planError(file, line, `role ${JSON.stringify(fields.role)} must be one word such as implement`);
    if (meaning.kind === 'metadata')
      throw planError(file, line, `role= on a ${fields.payload!.split(':')[0]}: payload, which queues nothing`);
    if ((meaning.kind === 'command') !== (fields.role === COMMAND_TASK_ROLE))
      throw planError(
        file,
        line,
        meaning.kind === 'command'
          ? `a @cmd: job is a command task (role ${COMMAND_TASK_ROLE}); leave role= out`
          : `role ${COMMAND_TASK_ROLE} is for @cmd: payloads`,
      );
    role = fields.role;
  }
  const dedupe = fields.dedupe ?? meaning.sha1;
  const hash = createHash('sha1')
    .update(
      JSON.stringify({
        lane,
        deps: [...deps].sort(),
        payload: fields.payload,
        role: role ?? null,
        dedupe: dedupe ?? null,
        checked,
      }),
    )
    .digest('hex');
  return {
    id,
    line,
    lane,
    deps,
    payload: fields.payload!,
    checked,
    kind: meaning.kind,
    ...(role !== undefined ? { role } : {}),
    title: meaning.title,
    ...(meaning.command !== undefined ? { command: meaning.command } : {}),
    ...(dedupe !== undefined ? { dedupe } : {}),
    hash,
  };
}
