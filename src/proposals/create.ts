import { isoSeconds, systemClock, type Clock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { newProposalId } from '../core/ids.js';
import type { Layout } from '../core/paths.js';
import { locate } from '../core/queueLookup.js';
import { readStates, writeNew } from '../core/queueMoves.js';
import { parseProposal, serializeProposal } from './format.js';
import { proposalQueue, withProposalLock } from './store.js';
import { CATEGORIES, COMPLEXITIES, type Proposal, type ProposalInput } from './types.js';

export interface CreateProposalOptions {
  clock?: Clock;
  /** Seed 001's per-proposer backpressure: at most this many active proposals. */
  maxActive?: number;
}

/** Validate and write a new proposal to active/. */
export async function createProposal(layout: Layout, input: ProposalInput, options: CreateProposalOptions = {}): Promise<Proposal> {
  validate(input);
  const q = proposalQueue(layout);
  return withProposalLock(layout, async () => {
    if (options.maxActive !== undefined) {
      const { items } = await readStates(q, ['active'], parseProposal, { locked: true });
      const active = items.filter((p) => p.proposer === input.proposer).length;
      if (active >= options.maxActive) throw new ExitError(`${input.proposer} already has ${active}/${options.maxActive} active proposals; wait for the curator`);
    }
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
      body: body(input),
      state: 'active',
      file: '',
    };
    const text = serializeProposal(draft);
    const file = await writeNew(q, 'active', id, text);
    return parseProposal(text, file, 'active');
  });
}

function body(input: ProposalInput): string {
  const list = (items: string[] | undefined, prefix: string): string => (items ?? []).map((s) => `${prefix}${s}`).join('\n');
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
  if (typeof input.proposer !== 'string' || !/^[A-Za-z0-9_-]+$/.test(input.proposer)) fail(`proposer must be an agent name such as test-checker, got ${JSON.stringify(input.proposer)}`);
  if (!CATEGORIES.includes(input.category)) fail(`category must be one of ${CATEGORIES.join(', ')}, got ${JSON.stringify(input.category)}`);
  if (!COMPLEXITIES.includes(input.complexity)) fail(`complexity must be one of ${COMPLEXITIES.join(', ')}, got ${JSON.stringify(input.complexity)}`);
  if (typeof input.summary !== 'string' || input.summary.trim() === '') fail('summary is empty; give a one-line description');
  if (/[\r\n]/.test(input.summary.trim())) fail('summary must be one line');
}
