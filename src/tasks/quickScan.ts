import { isDeliveryStage, type DeliveryStage } from './stage.js';

/**
 * The fastest read `queue-status` can do: `role` and `blocked_by` from the
 * first lines of a file, walking lines with indexOf and no regular-expression
 * engine per line. Only plain values are accepted (`role: implement`,
 * `blocked_by: [TASK-a, TASK-b]`, a `- TASK-a` block list, the header
 * format's `ROLE:` / `BLOCKED_BY:` lines), and `stage` / `cancelled_at` for
 * the lifecycle; anything else returns undefined and
 * the caller falls back to the general scan.
 */
export interface QuickScan {
  role: string;
  blocked_by: string[];
  /** A done task's delivery stage (tasks/stage.ts), when the file has one. */
  stage?: DeliveryStage;
  /** A failed task that was cancelled (it has cancelled_at). */
  cancelled?: boolean;
}

const WORD = /^[A-Za-z0-9_.-]+$/;

/** `whole`: `text` is the entire file, not just its first bytes. */
export function quickScan(text: string, whole: boolean): QuickScan | undefined {
  if (text.startsWith('---\n')) return scanLines(text, 4, 'role:', 'blocked_by:', true, whole, LIFECYCLE_KEYS);
  if (text.startsWith('# [')) {
    const first = text.indexOf('\n');
    return first < 0 ? undefined : scanLines(text, first + 1, 'ROLE:', 'BLOCKED_BY:', false, whole, HEADER_LIFECYCLE_KEYS);
  }
  return undefined;
}

// The keys a task's lifecycle needs besides its folder (tasks/lifecycle.ts).
const LIFECYCLE_KEYS = { stage: 'stage:', cancelled: 'cancelled_at:' };
const HEADER_LIFECYCLE_KEYS = { stage: 'STAGE:', cancelled: 'CANCELLED_AT:' };

function scanLines(text: string, from: number, roleKey: string, blockedKey: string, frontMatter: boolean, whole: boolean, keys: typeof LIFECYCLE_KEYS): QuickScan | undefined {
  let ended = false;
  let stage: DeliveryStage | undefined;
  let cancelled = false;
  let role: string | undefined;
  let blocked: string[] | undefined;
  let listOpen = false; // `blocked_by:` with an empty value: `- id` lines may follow
  let inHeader = false;
  // Thousands of files per run: look at characters in place, slice only the lines we keep.
  for (let pos = from, end = text.indexOf('\n', pos); end >= 0; pos = end + 1, end = text.indexOf('\n', pos)) {
    const c = text.charCodeAt(pos);
    if (frontMatter) {
      if (end - pos === 3 && (text.startsWith('---', pos) || text.startsWith('...', pos))) {
        ended = true;
        break;
      }
      if (c === 0x20 || c === 0x2d) {
        if (!listOpen) continue; // a nested value of some other key
        const item = text.slice(pos, end).trimStart();
        const id = item.startsWith('- ') ? plain(item.slice(2)) : undefined;
        if (id === undefined) return undefined;
        blocked!.push(id);
        continue;
      }
      listOpen = false;
    } else {
      if (c !== 0x0a && (c < 0x41 || c > 0x5a)) {
        // Not an upper-case KEY line: blank lines before the header lines, or the body after them.
        if (text.slice(pos, end).trim() !== '' || inHeader) {
          ended = true;
          break;
        }
        continue;
      }
      if (c === 0x0a) {
        ended = inHeader;
        if (ended) break;
        continue;
      }
      if (!/^[A-Z][A-Z0-9_]*:/.test(text.slice(pos, Math.min(end, pos + 40)))) {
        ended = true;
        break;
      }
      inHeader = true;
    }
    if (text.startsWith(roleKey, pos)) {
      if (role !== undefined) return undefined;
      role = plain(text.slice(pos + roleKey.length, end));
      if (role === undefined) return undefined;
    } else if (text.startsWith(blockedKey, pos)) {
      if (blocked !== undefined) return undefined;
      const value = stripComment(text.slice(pos + blockedKey.length, end)).trim();
      if (value === '' && frontMatter) {
        blocked = [];
        listOpen = true;
      } else {
        blocked = list(value);
        if (blocked === undefined) return undefined;
      }
    } else if (text.startsWith(keys.stage, pos)) {
      const value = stripComment(text.slice(pos + keys.stage.length, end)).trim();
      if (value !== '' && value !== '~' && value !== 'null') {
        const word = plain(value);
        if (stage !== undefined || !isDeliveryStage(word)) return undefined;
        stage = word;
      }
    } else if (text.startsWith(keys.cancelled, pos)) {
      const value = stripComment(text.slice(pos + keys.cancelled.length, end)).trim();
      cancelled = value !== '' && value !== '~' && value !== 'null' && value !== "''" && value !== '""';
    }
  }
  // Front matter must close; a header block may run to the end of a whole file.
  if (!ended && (frontMatter || !whole)) return undefined;
  if (role === undefined) return undefined;
  const found: QuickScan = { role, blocked_by: blocked ?? [] };
  if (stage !== undefined) found.stage = stage;
  if (cancelled) found.cancelled = true;
  return found;
}

function stripComment(value: string): string {
  const hash = value.indexOf(' #');
  return hash < 0 ? value : value.slice(0, hash);
}

function plain(raw: string): string | undefined {
  let value = stripComment(raw).trim();
  const q = value.charAt(0);
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) value = value.slice(1, -1);
  return WORD.test(value) && value !== 'null' ? value : undefined;
}

function list(value: string): string[] | undefined {
  if (value === '' || value === '[]' || value === '~' || value === 'null') return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  const out: string[] = [];
  for (const part of inner.split(',')) {
    if (part.trim() === '') continue;
    const id = plain(part);
    if (id === undefined) return undefined;
    out.push(id);
  }
  return out;
}
