import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { isMessageType, MESSAGE_EMOJI, MESSAGE_TYPES, type Message, type MessageType } from '../../messages/message.js';
import { dim, print, printJson, table } from '../output.js';
import { initialisedLayout } from '../project.js';

/**
 * `tickfleet messages [list|clear|send]`. Agents send with `messages send`
 * (the runner sets $TICKFLEET_AGENT, which becomes the sender).
 * `message` is accepted as an alias because models often guess the singular.
 */
export function register(program: Command): void {
  const messages = program
    .command('messages')
    .alias('message')
    .description('agent-to-human messages in .orchestrator/messages/');

  messages
    .command('list', { isDefault: true })
    .description('show messages, newest first')
    .option('--type <type>', `only this type (${MESSAGE_TYPES.join(', ')})`)
    .option('--full', 'print each message body too')
    .option('--json', 'machine-readable output')
    .action(async (opts: { type?: string; full?: boolean; json?: boolean }, cmd: Command) => {
      const type = opts.type === undefined ? undefined : typeOption(opts.type);
      const { listMessages } = await import('../../messages/list.js');
      const list = await listMessages(initialisedLayout(cmd), type ? { type } : {});
      if (opts.json) return printJson(list);
      printList(list, opts.full === true);
    });

  messages
    .command('clear')
    .description('remove messages (all, or by age and type)')
    .option('--older-than <hours>', 'only messages older than this many hours', hoursOption)
    .option('--type <type>', `only this type (${MESSAGE_TYPES.join(', ')})`)
    .option('--json', 'machine-readable output')
    .action(async (opts: { olderThan?: number; type?: string; json?: boolean }, cmd: Command) => {
      const type = opts.type === undefined ? undefined : typeOption(opts.type);
      const { clearMessages } = await import('../../messages/clear.js');
      const removed = await clearMessages(initialisedLayout(cmd), {
        ...(opts.olderThan === undefined ? {} : { olderThanHours: opts.olderThan }),
        ...(type ? { type } : {}),
      });
      if (opts.json) return printJson({ removed });
      print(`removed ${removed} message${removed === 1 ? '' : 's'}`);
    });

  messages
    .command('send')
    .description('send a message to the people running the fleet')
    .requiredOption('--type <type>', `one of ${MESSAGE_TYPES.join(', ')}`)
    .requiredOption('--title <title>', 'one line')
    .requiredOption('--body <text>', 'the message; "-" reads it from stdin')
    .option('--from <name>', 'sender (default: $TICKFLEET_AGENT, else "user")')
    .option('--task <id>', 'the task it is about')
    .option('--key <key>', 'send at most once per key (e.g. conflict:PROP-a1+PROP-b2)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        opts: { type: string; title: string; body: string; from?: string; task?: string; key?: string; json?: boolean },
        cmd: Command,
      ) => {
        const body = opts.body === '-' ? readFileSync(0, 'utf8') : opts.body;
        const { sendMessage } = await import('../../messages/send.js');
        const result = await sendMessage(initialisedLayout(cmd), {
          type: typeOption(opts.type),
          title: opts.title,
          body,
          from: opts.from ?? process.env.TICKFLEET_AGENT ?? 'user',
          ...(opts.task ? { task: opts.task } : {}),
          ...(opts.key ? { dedupeKey: opts.key } : {}),
        });
        if (opts.json) return printJson(result);
        print(result.sent ? `sent ${result.file}` : `already sent (key ${opts.key}): ${result.file}`);
      },
    );
}

function typeOption(value: string): MessageType {
  if (!isMessageType(value))
    throw new UsageError(`--type: unknown message type "${value}"; use one of ${MESSAGE_TYPES.join(', ')}`);
  return value;
}

function hoursOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--older-than: expected a number of hours, got "${value}"`);
  return n;
}

function printList(list: Message[], full: boolean): void {
  if (list.length === 0) {
    print('no messages');
    return;
  }
  // The emoji goes in the last column: emoji widths vary by terminal and would skew the padding.
  const rows = list.map((m) => [
    m.time.replace('T', ' ').replace(/Z$/, ''),
    m.type,
    m.from,
    m.task ?? '',
    `${MESSAGE_EMOJI[m.type]} ${m.title}`,
  ]);
  const lines = table(rows).split('\n');
  if (!full) {
    print(lines.join('\n'));
    return;
  }
  for (const [i, m] of list.entries()) {
    if (i > 0) print();
    print(lines[i]);
    print(dim(m.file));
    if (m.body) print(m.body);
  }
}
