import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { checkType } from './format.js';
import type { Message, MessageType } from './message.js';
import { messageTimeMs, parseMessage } from './parse.js';

export interface ListOptions {
  type?: MessageType;
}

/** Every message, newest first. Dot-files (temp files, the key index) are not messages. */
export async function listMessages(layout: Layout, options: ListOptions = {}): Promise<Message[]> {
  const type = options.type === undefined ? undefined : checkType(options.type);
  let names: string[];
  try {
    names = await fs.readdir(layout.messages);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const messages: Message[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith('.md')) continue;
    const file = path.join(layout.messages, name);
    let text: string;
    let mtime: Date;
    try {
      [text, { mtime }] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    } catch (err) {
      // Cleared by someone else between readdir and read.
      if (errnoCode(err) === 'ENOENT') continue;
      throw err;
    }
    const message = parseMessage(text, file, mtime);
    if (message && (type === undefined || message.type === type)) messages.push(message);
  }
  return messages.sort((a, b) => messageTimeMs(b) - messageTimeMs(a) || (a.file < b.file ? 1 : -1));
}
