import path from 'node:path';
import { isMessageType, MESSAGE_EMOJI, type Message, type MessageType } from './message.js';

const FILE_NAME = /^([a-z]+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/;

/**
 * Read a message file back. Lenient, because people and older tools write
 * these too: the type and time fall back to the file name, then to `fallbackTime`.
 * Returns undefined for a file that is not a message at all.
 */
export function parseMessage(text: string, file: string, fallbackTime: Date): Message | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const fields: Record<string, string> = {};
  let title = '';
  let bodyStart = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (title === '' && line.startsWith('# ')) {
      title = stripEmoji(line.slice(2).trim());
      continue;
    }
    const field = /^\*\*([A-Za-z]+):\*\*\s*(.*)$/.exec(line);
    if (field) {
      fields[field[1]!.toLowerCase()] = field[2]!.trim();
      continue;
    }
    if (line.trim() === '---') {
      bodyStart = i + 1;
      break;
    }
  }
  const fromName = FILE_NAME.exec(path.basename(file));
  const typeText = fields.type ?? fromName?.[1] ?? '';
  if (!isMessageType(typeText)) return undefined;
  const type: MessageType = typeText;
  const time =
    fields.time ??
    (fromName
      ? `${fromName[2]}-${fromName[3]}-${fromName[4]}T${fromName[5]}:${fromName[6]}:${fromName[7]}Z`
      : fallbackTime.toISOString());
  const body = lines.slice(bodyStart).join('\n').replace(/^\n/, '').replace(/\s+$/, '');
  const message: Message = { type, title, time, from: fields.from ?? '', body, file };
  if (fields.task) message.task = fields.task;
  return message;
}

/** Milliseconds since the epoch of a message's time; a time without an offset is read as UTC. */
export function messageTimeMs(message: Message): number {
  const t = /(Z|[+-]\d{2}:?\d{2})$/.test(message.time) ? message.time : `${message.time}Z`;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

function stripEmoji(title: string): string {
  for (const emoji of Object.values(MESSAGE_EMOJI)) {
    if (title.startsWith(emoji)) return title.slice(emoji.length).trim();
    // The variation selector (U+FE0F) is sometimes dropped by editors.
    const bare = emoji.replace('\uFE0F', '');
    if (title.startsWith(bare))
      return title
        .slice(bare.length)
        .replace(/^\uFE0F/, '')
        .trim();
  }
  return title;
}
