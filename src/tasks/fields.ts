import path from 'node:path';
import { coerceField, type FieldKind } from '../core/fieldKinds.js';
import { SAFE_ID } from '../core/ids.js';
import { QueueFileError } from '../core/queueFolder.js';
import { PRIORITIES, type Priority } from './priority.js';
import { DELIVERY_STAGES, isDeliveryStage } from './stage.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_PRIORITY, type Lease, type TaskFields } from './task.js';

/** Every known field with its kind, in the order a new file lists them. */
export const TASK_FIELD_KINDS: Readonly<Record<keyof TaskFields, FieldKind>> = {
  id: 'string',
  title: 'string',
  role: 'string',
  priority: 'string',
  branch: 'string',
  created: 'string',
  created_by: 'string',
  blocked_by: 'list',
  expedite: 'bool',
  attempts: 'int',
  max_attempts: 'int',
  lease: 'object',
  result: 'object',
  error: 'string',
  not_before: 'string',
  skip_pr: 'bool',
  wip_branch: 'string',
  cancelled_at: 'string',
  uncharged_releases: 'int',
  stage: 'string',
  stage_at: 'string',
  plan: 'string',
  plan_job: 'string',
  lane: 'string',
  parent: 'string',
  command: 'string',
};

export const TASK_FIELDS = Object.keys(TASK_FIELD_KINDS) as (keyof TaskFields)[];

/** Written into a new file only when set; the others are always written (null when unset). */
export const WRITTEN_WHEN_SET: ReadonlySet<keyof TaskFields> = new Set([
  'not_before',
  'skip_pr',
  'wip_branch',
  'cancelled_at',
  'uncharged_releases',
  'stage',
  'stage_at',
  'plan',
  'plan_job',
  'lane',
  'parent',
  'command',
]);

const DATE_FIELDS = new Set<keyof TaskFields>(['created', 'not_before', 'cancelled_at', 'stage_at']);

/**
 * Build the typed fields from raw values (YAML values, or header text already
 * decoded). `label` names a field as the file spells it, for messages.
 */
export function readTaskFields(
  get: (field: keyof TaskFields) => unknown,
  file: string,
  label: (field: string) => string,
): TaskFields {
  const out: Record<string, unknown> = {};
  for (const field of TASK_FIELDS) {
    const raw = get(field);
    const c = coerceField(TASK_FIELD_KINDS[field], raw);
    if (!c.ok) throw fieldError(file, label(field), `must be ${c.expected}, got ${JSON.stringify(raw)}`);
    out[field] = c.value;
  }
  const f = out as unknown as TaskFields;
  for (const field of ['id', 'title', 'role'] as const) {
    if (typeof f[field] !== 'string' || f[field].trim() === '')
      throw fieldError(file, label(field), 'is missing (every task needs id, title and role)');
  }
  if (/[\r\n]/.test(f.title.trim())) throw fieldError(file, label('title'), 'must be one line');
  const expectedId = path.basename(file, '.md');
  if (!SAFE_ID.test(f.id))
    throw fieldError(file, label('id'), `${JSON.stringify(f.id)} is not a valid id (letters, digits, '-', '_')`);
  if (f.id !== expectedId)
    throw fieldError(file, label('id'), `${f.id} does not match the file name (expected ${expectedId})`);
  f.priority ??= DEFAULT_PRIORITY;
  if (!PRIORITIES.includes(f.priority as Priority))
    throw fieldError(
      file,
      label('priority'),
      `must be one of ${PRIORITIES.join(', ')}, got ${JSON.stringify(f.priority)}`,
    );
  f.created ??= '';
  f.expedite ??= false;
  f.attempts ??= 0;
  f.max_attempts ??= DEFAULT_MAX_ATTEMPTS;
  if (f.max_attempts < 1) throw fieldError(file, label('max_attempts'), `must be at least 1, got ${f.max_attempts}`);
  for (const field of DATE_FIELDS) {
    const v = f[field] as string | undefined;
    if (v && Number.isNaN(Date.parse(v)))
      throw fieldError(file, label(field), `must be an ISO time like 2024-01-15T10:30:00Z, got ${JSON.stringify(v)}`);
  }
  if (f.lease !== undefined) checkLease(f.lease, file, label('lease'));
  if (f.stage !== undefined && !isDeliveryStage(f.stage))
    throw fieldError(
      file,
      label('stage'),
      `must be one of ${DELIVERY_STAGES.join(', ')}, got ${JSON.stringify(f.stage)}`,
    );
  return f;
}

/** The lease is a mapping already (coerceField); its keys decide whether fencing and reconcile can work. */
function checkLease(lease: unknown, file: string, label: string): asserts lease is Lease {
  const l = lease as Record<string, unknown>;
  for (const key of ['holder', 'token', 'expires_at'] as const) {
    if (typeof l[key] !== 'string' || l[key] === '')
      throw fieldError(file, `${label}.${key}`, 'is missing (a lease needs holder, token and expires_at)');
  }
  if (Number.isNaN(Date.parse(l.expires_at as string)))
    throw fieldError(file, `${label}.expires_at`, `must be an ISO time, got ${JSON.stringify(l.expires_at)}`);
  if (l.pid !== undefined && !(Number.isInteger(l.pid) && (l.pid as number) > 0))
    throw fieldError(file, `${label}.pid`, `must be a process id, got ${JSON.stringify(l.pid)}`);
}

function fieldError(file: string, key: string, what: string): QueueFileError {
  return new QueueFileError(`${file}: ${key} ${what}`);
}
