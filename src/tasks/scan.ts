import { coerceField } from '../core/fieldKinds.js';
import { TASK_FIELD_KINDS } from './fields.js';
import { PRIORITIES, type Priority } from './priority.js';
import { readKeys, trimYaml } from './scanKeys.js';
import { isDeliveryStage } from './stage.js';
import { DEFAULT_PRIORITY, type TaskFields } from './task.js';

/**
 * The fast reader of a task file, the only one beside the full parse
 * (format.ts): the few fields that counts, claim order and the lifecycle
 * need, read from the file's first lines without a YAML parser (parsing
 * thousands of files with one is far too slow for `queue-status`). It walks
 * lines with indexOf and looks closely only at the keys asked for; a value
 * is typed as the YAML core schema (front matter) or `decodeHeaderValue`
 * (header lines) types it, then checked with the same `coerceField` as a
 * full parse. Anything it is not sure of (a value over several lines,
 * anchors, tags, escapes, a key twice, no end of the metadata) gives
 * undefined, and the caller runs the full parser. When it answers for a file
 * the full parse reads, the fields are the ones the full parse gives
 * (test/tasks.readersAgree.property.test.ts); it does not check the fields
 * it does not read, so a file it answers for may still be one the full parse
 * rejects, which the claim's full read then quarantines.
 */
export type TaskSummary = Pick<
  TaskFields,
  'id' | 'role' | 'priority' | 'expedite' | 'created' | 'not_before' | 'blocked_by' | 'lane'
> &
  LifecycleFields;
/** What `queue-status` counts by. */
export type TaskCounts = Pick<TaskFields, 'role' | 'blocked_by'> & LifecycleFields;

/** What a task's lifecycle needs besides its folder (tasks/lifecycle.ts); set only when the file has them. */
export type LifecycleFields = Partial<Pick<TaskFields, 'stage' | 'cancelled_at'>>;

type Key = keyof TaskSummary;
const SUMMARY_KEYS: readonly Key[] = [
  'id',
  'role',
  'priority',
  'expedite',
  'created',
  'not_before',
  'blocked_by',
  'lane',
  'stage',
  'cancelled_at',
];
const COUNT_KEYS: readonly Key[] = ['role', 'blocked_by', 'stage', 'cancelled_at'];

/**
 * The summary claim order needs. `partial`: `text` is the start of a longer
 * file, cut at a line end, so the metadata must end inside it.
 */
export function summarizeTask(text: string, id: string, partial = false): TaskSummary | undefined {
  const raw = readKeys(text, SUMMARY_KEYS, partial, true);
  if (raw === undefined) return undefined;
  const f = coerceAll(raw, SUMMARY_KEYS);
  if (f === undefined || f.id !== id || !hasRole(f.role)) return undefined;
  const priority = (f.priority as Priority | undefined) ?? DEFAULT_PRIORITY;
  if (!PRIORITIES.includes(priority)) return undefined;
  const lifecycle = lifecycleFields(f.stage, f.cancelled_at);
  if (lifecycle === undefined) return undefined;
  return {
    ...lifecycle,
    id,
    role: f.role as string,
    priority,
    expedite: (f.expedite as boolean | undefined) ?? false,
    created: (f.created as string | undefined) ?? '',
    not_before: f.not_before as string | undefined,
    blocked_by: f.blocked_by as string[],
    ...(f.lane !== undefined ? { lane: f.lane as string } : {}),
  };
}

/** Only what `queue-status` counts by: the least reading, for the most files. */
export function countTask(text: string, partial = false): TaskCounts | undefined {
  const raw = readKeys(text, COUNT_KEYS, partial, false);
  if (raw === undefined) return undefined;
  const role = asString(raw.get('role'));
  const blocked = asList(raw.get('blocked_by'));
  const lifecycle = lifecycleFields(raw.get('stage'), raw.get('cancelled_at'));
  return role !== undefined && blocked !== undefined && lifecycle !== undefined && hasRole(role)
    ? { ...lifecycle, role, blocked_by: blocked }
    : undefined;
}

export function pick(f: TaskFields): TaskSummary {
  return {
    id: f.id,
    role: f.role,
    priority: f.priority,
    expedite: f.expedite,
    created: f.created,
    not_before: f.not_before,
    blocked_by: f.blocked_by,
    ...(f.lane !== undefined ? { lane: f.lane } : {}),
    ...lifecycleFields(f.stage, f.cancelled_at),
  };
}

const NO_LIFECYCLE: LifecycleFields = Object.freeze({});

/**
 * `stage` and `cancelled_at` as the full parse types them, each only when
 * set; undefined when the full parse rejects them (a stage that is not a
 * delivery stage), so the caller runs it and it says why.
 */
function lifecycleFields(rawStage: unknown, rawCancelledAt: unknown): LifecycleFields | undefined {
  if (rawStage === undefined && rawCancelledAt === undefined) return NO_LIFECYCLE; // most files
  const stage = coerceField(TASK_FIELD_KINDS.stage, rawStage);
  const cancelledAt = coerceField(TASK_FIELD_KINDS.cancelled_at, rawCancelledAt);
  if (!stage.ok || !cancelledAt.ok) return undefined;
  if (stage.value !== undefined && !isDeliveryStage(stage.value)) return undefined;
  const out: LifecycleFields = {};
  if (stage.value !== undefined) out.stage = stage.value;
  if (cancelledAt.value !== undefined) out.cancelled_at = cancelledAt.value as string;
  return out;
}

function coerceAll(raw: Map<string, unknown>, keys: readonly Key[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const c = coerceField(TASK_FIELD_KINDS[key], raw.get(key));
    if (!c.ok) return undefined;
    out[key] = c.value;
  }
  return out;
}

// coerceField, with the answer for the values most files hold given at once: this runs for every file.
function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const c = coerceField('string', value);
  return c.ok ? (c.value as string | undefined) : undefined;
}

function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'string' && v !== '' && trimYaml(v) === v && v.trim() === v)
  )
    return value as string[];
  const c = coerceField('list', value);
  return c.ok ? (c.value as string[]) : undefined;
}

function hasRole(role: unknown): boolean {
  return typeof role === 'string' && role.trim() !== '';
}
