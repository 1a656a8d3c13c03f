/** Agent-to-human messages, in the documented file format. */

export const MESSAGE_TYPES = ['info', 'warning', 'error', 'question'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const MESSAGE_EMOJI: Record<MessageType, string> = {
  info: 'ℹ️',
  warning: '⚠️',
  error: '❌',
  question: '❓',
};

export interface MessageInput {
  type: MessageType;
  title: string;
  body: string;
  /** The agent (or person) sending it. */
  from: string;
  /** The task it is about, when there is one. */
  task?: string;
  /**
   * Send at most once per key, ever: a conflict or a stuck task is reported
   * once, not on every tick, even after the user has cleared the messages.
   */
  dedupeKey?: string;
}

/** Convenience senders take everything but the type. */
export type TypedMessageInput = Omit<MessageInput, 'type'>;

export interface SendResult {
  /** The message file written, or for a duplicate the one written the first time. */
  file: string;
  /** False when `dedupeKey` had already been sent. */
  sent: boolean;
}

/** A message file read back. */
export interface Message {
  type: MessageType;
  title: string;
  /** ISO-8601 as written in the file (UTC, `Z`). */
  time: string;
  from: string;
  task?: string;
  body: string;
  /** Absolute path of the file. */
  file: string;
}

export function isMessageType(value: string): value is MessageType {
  return (MESSAGE_TYPES as readonly string[]).includes(value);
}
