import type { Command } from 'commander';
import { currentActor } from '../../core/actor.js';
import { UsageError } from '../../core/errors.js';
import { PROPOSAL_STATES, type ProposalState } from '../../core/paths.js';
import type { Proposal } from '../../proposals/proposal.js';
import { dim, print, printJson, table } from '../output.js';
import { initialisedLayout } from '../project.js';

// Literal lists rather than imports of the proposal modules: every CLI start pays for static imports.
const CATEGORY_HELP = 'test | refactor | feature | debt | plan-task';
const COMPLEXITY_HELP = 'S | M | L | XL';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface ProposeOpts {
  title: string;
  category: string;
  complexity: string;
  summary: string;
  rationale?: string;
  criteria?: string[];
  file?: string[];
  json?: boolean;
}

/** `tickfleet propose` (the gate into the proposal queue) and `tickfleet proposals` (list, and a person's decisions). */
export function register(program: Command): void {
  program
    .command('propose')
    .description('create a proposal in proposals/active/ (the only way in; agents are held to their proposal limits)')
    .requiredOption('--title <title>', 'one-line title')
    .requiredOption('--category <category>', CATEGORY_HELP)
    .requiredOption('--complexity <size>', `${COMPLEXITY_HELP} (S under an hour, XL more than a day)`)
    .requiredOption('--summary <text>', 'one-line description')
    .option('--rationale <text>', 'why it matters now, with evidence (required for agents)')
    .option('--criteria <text>', 'a checkable acceptance criterion (repeat for more; one required for agents)', collect)
    .option(
      '--file <path>',
      'a relevant file, relative to the project root (repeat for more; one required for agents)',
      collect,
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: ProposeOpts, cmd: Command) => {
      const { propose } = await import('../../proposals/propose.js');
      const runId = process.env.TICKFLEET_RUN_ID?.trim();
      const p = await propose(initialisedLayout(cmd), currentActor(), {
        title: opts.title,
        category: opts.category,
        complexity: opts.complexity,
        summary: opts.summary,
        ...(opts.rationale ? { rationale: opts.rationale } : {}),
        ...(opts.criteria ? { criteria: opts.criteria } : {}),
        ...(opts.file ? { files: opts.file } : {}),
        ...(runId ? { runId } : {}),
      });
      if (opts.json) return printJson(p);
      print(`${p.id} created in proposals/active/ (${p.category}, ${p.complexity}): ${p.title}`);
    });

  const proposals = program.command('proposals').description('list proposals; a person can reject or reactivate one');

  proposals
    .command('list', { isDefault: true })
    .description('proposals, latest decision first, with the feedback of rejected and deferred ones')
    .option('--mine', "only the caller's own ($TICKFLEET_AGENT)")
    .option('--proposer <name>', 'only this proposer')
    .option('--state <state>', PROPOSAL_STATES.join(' | '))
    .option('--json', 'machine-readable output')
    .action(async (opts: { mine?: boolean; proposer?: string; state?: string; json?: boolean }, cmd: Command) => {
      if (opts.state !== undefined && !PROPOSAL_STATES.includes(opts.state as ProposalState)) {
        throw new UsageError(`--state must be one of ${PROPOSAL_STATES.join(', ')}, got ${opts.state}`);
      }
      const { proposalList } = await import('../../proposals/byHand.js');
      const list = await proposalList(initialisedLayout(cmd), currentActor(), {
        ...(opts.mine ? { mine: true } : {}),
        ...(opts.proposer ? { proposer: opts.proposer } : {}),
        ...(opts.state ? { state: opts.state as ProposalState } : {}),
      });
      if (opts.json) return printJson(list);
      printList(list);
    });

  proposals
    .command('reject')
    .description('reject a proposal with feedback the proposer will read (people only)')
    .argument('<id>', 'PROP-…')
    .requiredOption('--feedback <text>', 'why, so the proposer can learn')
    .action(async (id: string, opts: { feedback: string }, cmd: Command) => {
      const { rejectProposalByHand } = await import('../../proposals/byHand.js');
      const p = await rejectProposalByHand(initialisedLayout(cmd), currentActor(), id, opts.feedback);
      print(`${p.id} rejected: ${p.title}`);
    });

  proposals
    .command('reactivate')
    .description('send a deferred proposal back to active/ for the curator (people only)')
    .argument('<id>', 'PROP-…')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { reactivateProposalByHand } = await import('../../proposals/byHand.js');
      const p = await reactivateProposalByHand(initialisedLayout(cmd), currentActor(), id);
      print(`${p.id} active again: ${p.title}`);
    });
}

function printList(list: Proposal[]): void {
  if (list.length === 0) {
    print('no proposals');
    return;
  }
  const rows = list.map((p) => [p.id, p.state, p.proposer, p.category, p.complexity, p.title]);
  const lines = table(rows).split('\n');
  for (const [i, p] of list.entries()) {
    print(lines[i]);
    if (p.feedback) print(dim(`    feedback: ${p.feedback}`));
    if (p.task_id) print(dim(`    task: ${p.task_id}`));
    if (p.conflicts_with.length) print(dim(`    conflicts with: ${p.conflicts_with.join(', ')}`));
  }
}
