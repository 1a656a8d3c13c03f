import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { newProposalId, SAFE_ID } from '../core/ids.js';
import type { Layout } from '../core/paths.js';
import { locate } from '../core/queueLookup.js';
import { readStates, writeNew } from '../core/queueMoves.js';
import { parseProposal, serializeProposal } from './format.js';
import {
  CATEGORIES,
  COMPLEXITIES,
  PROPOSAL_STATES,
  type Proposal,
  type ProposalInput,
  type ProposalState,
} from './proposal.js';
import { proposalQueue, withProposalLock } from './store.js';

export interface CreateProposalOptions {
  clock?: Clock;
  /** Per-proposer backpressure: at most this many active proposals. */
  maxActive?: number;
  /** At most this many proposals by one run (`input.runId`), whatever state they reached since. */
  maxPerRun?: number;
  /** The config key the limits came from, named in a refusal (`proposal_limits.architect`). */
  limitKey?: string;
}

/** Validate and write a new proposal to active/. */
export async function createProposal(
  layout: Layout,
  input: ProposalInput,
  options: CreateProposalOptions = {},
): Promise<Proposal> {
  validate(input);
  const q = proposalQueue(layout);
  return withProposalLock(layout, async () => {
    await checkLimits(layout, input, options);
    let id = newProposalId();
    while (locate(q, id)) id = newProposalId();
    const draft: Proposal = {
      id,
      title: input.title.trim(),
      proposer: input.proposer,
      category: input.category,
      complexity: input.complexity,
      created: isoSeconds((options.clock ?? systemClock).now()),
      conflicts_with: [],
      ...(input.runId ? { run_id: input.runId } : {}),
      body: body(input),
      state: 'active',
      file: '',
    };
    const text = serializeProposal(draft);
    const file = await writeNew(q, 'active', id, text);
    return parseProposal(text, file, 'active');
  });
}

/** Refuse past max_active or max_per_run; the caller holds the proposal lock, so the count cannot go stale. */
async function checkLimits(layout: Layout, input: ProposalInput, options: CreateProposalOptions): Promise<void> {
  const { maxActive, maxPerRun } = options;
  if (maxActive === undefined && maxPerRun === undefined) return;
  const key = options.limitKey ?? 'proposal_limits';
  if (maxPerRun !== undefined) {
    if (!input.runId)
      throw new ExitError(
        `proposal by ${input.proposer}: no run id to count ${key}.max_per_run against; agents propose from inside a run ($TICKFLEET_RUN_ID)`,
      );
    // Every state: a proposal promoted or rejected meanwhile was still made by this run.
    // Files that do not mention the run id are skipped unparsed: the decided folders only grow.
    const runId = input.runId;
    const parseIfMentioned = (text: string, file: string, state: ProposalState) =>
      text.includes(runId) ? parseProposal(text, file, state) : undefined;
    const { items } = await readStates(proposalQueue(layout), PROPOSAL_STATES, parseIfMentioned, { locked: true });
    const mine = items.filter((p) => p?.proposer === input.proposer && p.run_id === runId).length;
    if (mine >= maxPerRun)
      throw new ExitError(
        `${input.proposer} already made ${mine}/${maxPerRun} proposals in run ${runId}; stop proposing until the next run (${key}.max_per_run)`,
      );
  }
  if (maxActive !== undefined) {
    const { items } = await readStates(proposalQueue(layout), ['active'], parseProposal, { locked: true });
    const active = items.filter((p) => p.proposer === input.proposer).length;
    if (active >= maxActive)
      throw new ExitError(
        `${input.proposer} already has ${active}/${maxActive} active proposals; wait for the curator to decide some (${key}.max_active)`,
      );
  }
}

function body(input: ProposalInput): string {
  const list = (items: string[] | undefined, prefix: string): string =>
    (items ?? []).map((s) => `${prefix}${s.trim()}`).join('\n');
  return [
    '',
    '## Summary',
    input.summary.trim(),
    '',
    '## Rationale',
    input.rationale?.trim() ?? '',
    '',
    '## Acceptance Criteria',
    list(input.acceptance, '- [ ] '),
    '',
    '## Relevant Files',
    list(input.relevantFiles, '- '),
    '',
  ].join('\n');
}

function validate(input: ProposalInput): void {
  const fail = (msg: string): never => {
    throw new ExitError(`proposal ${msg}`);
  };
  if (typeof input.title !== 'string' || input.title.trim() === '') fail('title is empty; give a one-line title');
  if (/[\r\n]/.test(input.title.trim())) fail('title must be one line');
  if (typeof input.proposer !== 'string' || !/^[A-Za-z0-9_-]+$/.test(input.proposer))
    fail(`proposer must be an agent name such as test-checker, got ${JSON.stringify(input.proposer)}`);
  if (!CATEGORIES.includes(input.category))
    fail(`category must be one of ${CATEGORIES.join(', ')}, got ${JSON.stringify(input.category)}`);
  if (!COMPLEXITIES.includes(input.complexity))
    fail(`complexity must be one of ${COMPLEXITIES.join(', ')}, got ${JSON.stringify(input.complexity)}`);
  if (typeof input.summary !== 'string' || input.summary.trim() === '')
    fail('summary is empty; give a one-line description');
  if (/[\r\n]/.test(input.summary.trim())) fail('summary must be one line');
  // Each criterion and file is one markdown list item: a line break would split it.
  for (const c of input.acceptance ?? [])
    if (typeof c !== 'string' || c.trim() === '' || /[\r\n]/.test(c.trim()))
      fail(`acceptance criterion must be one non-empty line, got ${JSON.stringify(c)}`);
  for (const f of input.relevantFiles ?? [])
    if (typeof f !== 'string' || f.trim() === '' || /[\r\n]/.test(f.trim()))
      fail(`relevant file must be one path on one line, got ${JSON.stringify(f)}`);
  if (input.runId !== undefined && !SAFE_ID.test(input.runId))
    fail(`run id must be letters, digits, '-' or '_', got ${JSON.stringify(input.runId)}`);
}
