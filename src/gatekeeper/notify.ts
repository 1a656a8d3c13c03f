import type { Clock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { sendMessage } from '../messages/send.js';
import { GATEKEEPER } from './fixTask.js';
import type { CheckVerdict } from './verdict.js';
import type { WaitingBranch } from './waiting.js';

/** Each of these is sent once per branch head (the message store's de-duplication key), however many ticks see it. */

export async function notifyCannotRun(
  layout: Layout,
  branch: WaitingBranch,
  verdict: CheckVerdict,
  clock: Clock,
): Promise<void> {
  await sendMessage(
    layout,
    {
      type: 'error',
      title: `Check ${verdict.check} cannot run on ${branch.subject}`,
      body: [
        `${verdict.summary}.`,
        '',
        `Branch \`${branch.branch}\` at ${branch.head.slice(0, 12)} waits for it${verdict.required ? ' (a required check)' : ''}.`,
        ...(verdict.output_tail ? ['', '```', verdict.output_tail, '```'] : []),
      ].join('\n'),
      from: GATEKEEPER,
      task: branch.task,
      dedupeKey: `gatekeeper:cannot-run:${branch.subject}:${branch.head}:${verdict.check}`,
    },
    { clock },
  );
}

export async function notifyNeedsPerson(
  layout: Layout,
  branch: WaitingBranch,
  why: string,
  clock: Clock,
): Promise<void> {
  await sendMessage(
    layout,
    {
      type: 'warning',
      title: `${branch.subject} needs a person`,
      body: `${why}.\n\nBranch \`${branch.branch}\` at ${branch.head.slice(0, 12)}: look at it, then \`tickfleet review approve ${branch.subject}\` or \`tickfleet review reject ${branch.subject} --reason …\`.`,
      from: GATEKEEPER,
      task: branch.task,
      dedupeKey: `gatekeeper:needs-person:${branch.subject}:${branch.head}`,
    },
    { clock },
  );
}
