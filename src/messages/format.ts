import { isoSeconds } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { isMessageType, MESSAGE_EMOJI, MESSAGE_TYPES, type MessageInput, type MessageType } from './message.js';

/**
 * The file text, byte for byte the documented layout:
 *
 *   # ⚠️ Title
 *
 *   **Type:** warning
 *   **Time:** 2024-01-15T14:30:00Z
 *   **From:** test-agent
 *   **Task:** TASK-abc123      (only when given)
 *
 *   ---
 *
 *   body
 */
export function formatMessage(input: Omit<MessageInput, 'dedupeKey'>, time: Date): string {
  const type = checkType(input.type);
  const title = oneLine(input.title);
  if (title === '') throw new ExitError('a message needs a title');
  const from = oneLine(input.from);
  if (from === '') throw new ExitError('a message needs a sender (from)');
  const lines = [
    `# ${MESSAGE_EMOJI[type]} ${title}`,
    '',
    `**Type:** ${type}`,
    `**Time:** ${isoSeconds(time)}`,
    `**From:** ${from}`,
  ];
  const task = input.task === undefined ? '' : oneLine(input.task);
  if (task !== '') lines.push(`**Task:** ${task}`);
  lines.push('', '---');
  const body = input.body.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  if (body !== '') lines.push('', body);
  return `${lines.join('\n')}\n`;
}

/** `<type>-YYYYMMDD-HHMMSS-<slug>.md` in UTC, so the name sorts like the Time line. */
export function messageFileName(type: MessageType, time: Date, title: string, suffix = 0): string {
  const stamp = isoSeconds(time).replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
  return `${type}-${stamp}-${slugify(title)}${suffix > 1 ? `-${suffix}` : ''}.md`;
}

/** Lowercase words joined by '-', cut at a word boundary: safe in any filesystem. */
export function slugify(title: string, max = 48): string {
  const slug = title
    .normalize('NFKD')
    // Drop the accents NFKD split off, so "café" becomes "cafe", not "cafe-".
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') return 'message';
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, max)).replace(/-+$/, '');
}

export function checkType(type: string): MessageType {
  if (!isMessageType(type)) {
    throw new ExitError(`unknown message type "${type}": use one of ${MESSAGE_TYPES.join(', ')}`);
  }
  return type;
}

// Header fields are single lines; a newline in a title would break the format.
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
