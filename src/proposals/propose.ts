import path from 'node:path';
import type { Config } from '../config/agentsConfig.js';
import { loadConfig } from '../config/load.js';
import type { Actor } from '../core/actor.js';
import { ExitError, UsageError } from '../core/errors.js';
import type { Layout } from '../core/paths.js';
import { createProposal } from './create.js';
import { CATEGORIES, type Category, COMPLEXITIES, type Complexity, type Proposal } from './proposal.js';

export interface ProposeRequest {
  title: string;
  category: string;
  complexity: string;
  summary: string;
  rationale?: string;
  criteria?: string[];
  files?: string[];
  /** The agent run proposing ($TICKFLEET_RUN_ID); required for agents, whose max_per_run counts it. */
  runId?: string;
}

const MAX_TITLE = 120;

/**
 * `tickfleet propose`: the single gate into the proposal queue. Agents are
 * held to their proposal limits (`proposal_limits.<name>`, else
 * `proposal_defaults`) under the proposal lock; a person proposing by hand is
 * not, as with `enqueue --force`.
 */
export async function propose(layout: Layout, actor: Actor, req: ProposeRequest): Promise<Proposal> {
  const { config } = await loadConfig(layout);
  if (config.model !== 'proposal') {
    throw new ExitError(
      `propose: ${path.basename(config.file)} has model: ${config.model}; proposals are curated only with model: proposal (create a task with \`tickfleet enqueue\` instead)`,
    );
  }
  // Who may propose first: a non-proposer agent learns that before fixing its arguments.
  const limits = actor.isAgent ? limitsOf(config, actor) : undefined;
  checkContent(req, actor);
  const input = {
    title: req.title,
    proposer: actor.name,
    category: req.category as Category,
    complexity: req.complexity as Complexity,
    summary: req.summary,
    ...(req.rationale ? { rationale: req.rationale } : {}),
    acceptance: req.criteria ?? [],
    relevantFiles: (req.files ?? []).map((f) =>
      path.posix.normalize(f.trim().replace(/\\/g, '/')).replace(/^\.\//, ''),
    ),
    ...(req.runId ? { runId: req.runId } : {}),
  };
  if (!limits) return createProposal(layout, input);
  return createProposal(layout, input, {
    maxActive: limits.limit.max_active,
    maxPerRun: limits.limit.max_per_run,
    limitKey: limits.key,
  });
}

function limitsOf(config: Config, actor: Actor) {
  const agent = config.agents.find((a) => a.name === actor.name);
  if (!agent)
    throw new ExitError(`propose: agent ${actor.name} is not in ${config.file}; only its proposer agents propose`);
  if (agent.role !== 'proposer')
    throw new ExitError(
      `propose: agent ${actor.name} is a ${agent.role}; only proposer agents propose (a ${agent.role} works through its own commands)`,
    );
  const own = config.proposal_limits[actor.name];
  return own
    ? { limit: own, key: `proposal_limits.${actor.name}` }
    : { limit: config.proposal_defaults, key: 'proposal_defaults' };
}

/**
 * What the curator needs to judge a proposal. The store checks the format;
 * these are the rules for a proposal worth reading, told one at a time with
 * the right form, since an agent fixes its call from the message.
 */
function checkContent(req: ProposeRequest, actor: Actor): void {
  const fail = (msg: string): never => {
    throw new UsageError(`propose: ${msg}`);
  };
  if (!CATEGORIES.includes(req.category as Category))
    fail(`--category must be one of ${CATEGORIES.join(', ')}, got ${JSON.stringify(req.category)}`);
  if (!COMPLEXITIES.includes(req.complexity as Complexity))
    fail(`--complexity must be one of ${COMPLEXITIES.join(', ')}, got ${JSON.stringify(req.complexity)}`);
  if (req.title.trim().length > MAX_TITLE)
    fail(`--title is ${req.title.trim().length} characters; keep it under ${MAX_TITLE} and put details in --summary`);
  if (!actor.isAgent) return;
  if (!req.rationale?.trim())
    fail('--rationale is missing; say why it matters now, with evidence (a failing test, file:line, a plan item)');
  if (!req.criteria?.length)
    fail("--criteria is missing; give at least one checkable criterion, e.g. --criteria 'npm test passes'");
  if (!req.files?.length)
    fail('--file is missing; name at least one file the work touches (the curator compares files to find conflicts)');
  if (!req.runId) fail('$TICKFLEET_RUN_ID is not set; agents propose from inside a run');
  for (const f of req.files ?? []) {
    const p = f.trim().replace(/\\/g, '/');
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || path.posix.normalize(p).split('/')[0] === '..')
      fail(`--file ${JSON.stringify(f)} must be a path relative to the project root, such as src/app.ts`);
  }
}
