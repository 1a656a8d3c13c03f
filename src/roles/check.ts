/**
 * Checks for a structured answer from the client. The client already held
 * the model to the JSON Schema; these checks are what a schema cannot say
 * (every proposal decided exactly once, ids that exist) and a second guard on
 * the shape, so a follow-up never acts on a guess. Every problem is collected,
 * each with its path, and reported together.
 */
/** A structured answer, checked: the typed value, or every problem found. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problems };

export class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  get ok(): boolean {
    return this.list.length === 0;
  }

  /** One line for a run's reason: the first few problems and how many more. */
  summary(max = 3): string {
    const shown = this.list.slice(0, max).join('; ');
    return this.list.length > max ? `${shown}; and ${this.list.length - max} more` : shown;
  }

  object(path: string, value: unknown): value is Record<string, unknown> {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return true;
    this.add(path, `must be an object, got ${describe(value)}`);
    return false;
  }

  array(path: string, value: unknown): value is unknown[] {
    if (Array.isArray(value)) return true;
    this.add(path, `must be a list, got ${describe(value)}`);
    return false;
  }

  /** A non-empty string; `oneLine` also refuses line breaks (titles). */
  text(path: string, value: unknown, options: { oneLine?: boolean } = {}): value is string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(path, `must be non-empty text, got ${describe(value)}`);
      return false;
    }
    if (options.oneLine && /[\r\n]/.test(value.trim())) {
      this.add(path, 'must be one line');
      return false;
    }
    return true;
  }

  oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    this.add(path, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    return false;
  }

  /** A score from 0 to 1. */
  unit(path: string, value: unknown): value is number {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return true;
    this.add(path, `must be a number from 0 to 1, got ${describe(value)}`);
    return false;
  }

  boolean(path: string, value: unknown): value is boolean {
    if (typeof value === 'boolean') return true;
    this.add(path, `must be true or false, got ${describe(value)}`);
    return false;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
