import path from 'node:path';
import { watchApi } from '../claude/apiWatch.js';
import { buildClaudeArgs } from '../claude/args.js';
import { apiBaseUrl } from '../claude/endpoint.js';
import { buildClaudeEnv } from '../claude/env.js';
import { extractMetrics, type RunMetrics } from '../claude/metrics.js';
import { classifyOutcome, type Outcome } from '../claude/outcome.js';
import { runClaude } from '../claude/supervise.js';
import { loadConfig } from '../config/load.js';
import { type Clock, isoSeconds, systemClock } from '../core/clock.js';
import { ExitError } from '../core/errors.js';
import { agentDir, type Layout, spareMakingPath, spareWorktreePath } from '../core/paths.js';
import { currentProcessIdentity } from '../core/processInfo.js';
import { prepareSpare } from '../git/spare.js';
import type { LedgerRecord } from '../ledger/record.js';
import { prepareRole } from '../roles/prepare.js';
import { ROLE_SPECS } from '../roles/registry.js';
import type { FollowUp, RunContext } from '../run/context.js';
import { settleUndelivered } from '../run/settle.js';
import { LeaseLostError } from '../tasks/lease.js';
import { findTask } from '../tasks/list.js';
import { agentEnv, agentIdentity, installCliWrapper } from './agentEnv.js';
import { BookkeepingError, settleBookkeeping } from './bookkeeping.js';
import { recordClientSpawn } from './clientGroup.js';
import { recordRunEnd, recordRunnerStarted } from './finish.js';
import { type Heartbeat, startHeartbeat } from './heartbeat.js';
import { buildInstructions, writeInstructions } from './instructions.js';
import { agentPorts } from './ports.js';
import { loadRolePrompt } from './rolePrompt.js';
import { prepareWorkspace } from './workspace.js';

export interface RunAgentOptions {
  layout: Layout;
  agent: string;
  runId: string;
  /** The claimed task and its lease token, for roles that work on tasks. */
  taskId?: string;
  token?: string;
  /** --max-budget-usd for this run (the plan may give less than the per-run cap). */
  runBudgetUsd?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface RunSummary {
  outcome: Outcome;
  followUp: FollowUp;
  ledger: LedgerRecord;
}

/** SIGTERM first; whatever is left of the client's group this long after gets SIGKILL. */
const KILL_GRACE_MS = 10_000;

/**
 * One agent run, start to end: workspace, instructions, the client under
 * supervision, classification, follow-up. Whatever fails, the run ends with a
 * ledger record and the agent's state cleared, so nothing stalls silently.
 */
export async function runAgent(options: RunAgentOptions): Promise<RunSummary> {
  const { layout, runId } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const startedAt = clock.now();
  const { config } = await loadConfig(layout);
  const agent = config.agents.find((a) => a.name === options.agent);
  if (!agent) throw new ExitError(`agent ${options.agent} is not in ${config.file}`);
  const me = await currentProcessIdentity();
  await recordRunnerStarted(layout, agent.name, runId, me.pid, me.start, startedAt);

  const ctx: RunContext = { layout, config, agent, runId, clock, identity: agentIdentity(agent), log };
  const abort = new AbortController();
  let heartbeat: Heartbeat | undefined;
  let spare: Promise<unknown> = Promise.resolve();
  let outcome: Outcome = { kind: 'error', reason: 'the run did not start' };
  let metrics: RunMetrics | undefined;
  let follow: FollowUp = { summary: '' };

  try {
    if (options.taskId) {
      if (!options.token) throw new ExitError(`run ${runId}: a task run needs its claim token`);
      ctx.task = await findTask(layout, options.taskId);
      ctx.token = options.token;
      heartbeat = startHeartbeat({
        layout,
        taskId: options.taskId,
        token: options.token,
        leaseSeconds: config.tasks.lease_seconds,
        clock,
        runner: me,
        onLost: (err) => {
          log(`${err.message}: stopping the client`);
          abort.abort(err);
        },
        onError: (err) => log(`lease renewal failed, will retry: ${(err as Error).message}`),
      });
    }
    const workspace = await prepareWorkspace(layout, config, agent, runId, ctx.task);
    ctx.workspace = workspace;
    log(
      `workspace ${workspace.cwd}${workspace.worktree ? ` (${workspace.worktree.from}${workspace.worktree.fromSpare ? ' from the spare checkout' : ''}, base ${workspace.base})` : ''}`,
    );
    if (workspace.worktree && config.scheduler.spare_worktrees) {
      // The next run's checkout is made while this one works; its failure only costs the next run time.
      spare = prepareSpare(
        layout.root,
        spareWorktreePath(layout, agent.name),
        workspace.worktree.baseSha,
        spareMakingPath(layout, agent.name, runId),
      ).catch((err: unknown) => log(`no spare checkout for the next run: ${(err as Error).message}`));
    }

    const role = await prepareRole(agent.role, ctx);
    const ports = await agentPorts(layout, agent.name, config.ports);
    const binDir = await installCliWrapper(layout, agent.name);
    const rolePrompt = await loadRolePrompt(layout, agent);
    const instructions = await buildInstructions({
      layout,
      agent,
      runId,
      worktree: workspace.cwd,
      baseBranch: workspace.base,
      ports,
      rolePrompt: rolePrompt.text,
      ...(ctx.task ? { task: ctx.task } : {}),
      extraSections: role.sections,
    });
    await writeInstructions(workspace.cwd, instructions);

    const spec = ROLE_SPECS[agent.role];
    const args = buildClaudeArgs(agent.claude, {
      defaults: { permissionMode: spec.permissionMode, allowedTools: spec.allowedTools },
      maxBudgetUsd: options.runBudgetUsd ?? config.budgets.per_run_usd,
      ...(role.jsonSchema ? { jsonSchema: role.jsonSchema } : {}),
    });
    const env = buildClaudeEnv({
      identity: ctx.identity,
      extra: {
        ...agentEnv({
          layout,
          agent,
          runId,
          ports,
          binDir,
          ...(ctx.task ? { taskId: ctx.task.id, ...(ctx.token ? { token: ctx.token } : {}) } : {}),
        }),
        ...agent.claude.env,
      },
      permissionMode: agent.claude.permission_mode ?? spec.permissionMode,
      args,
    });
    // A rate limit or a dead endpoint stops the client at once, not after its own retries.
    const api = watchApi({
      baseUrl: apiBaseUrl(env),
      stop: (v) => {
        log(`stopping the client: ${v.kind === 'limit' ? 'rate or usage limit' : `endpoint unreachable: ${v.reason}`}`);
        abort.abort(v);
      },
    });
    log(
      `starting ${agent.claude.command.join(' ')} (prompt ${instructions.length} chars on stdin, budget $${options.runBudgetUsd ?? config.budgets.per_run_usd})`,
    );
    const record = await runClaude({
      command: agent.claude.command,
      args,
      cwd: workspace.cwd,
      env,
      prompt: instructions,
      transcriptPath: path.join(agentDir(layout, agent.name), 'transcripts', `${runId}.jsonl`),
      timeoutMs: agent.claude.timeout_minutes * 60_000,
      stallMs: agent.claude.stall_minutes * 60_000,
      killGraceMs: KILL_GRACE_MS,
      signal: abort.signal,
      onEvent: api.onEvent,
      // Whoever buries this run if the runner dies kills this group first.
      onSpawn: (pid) =>
        void recordClientSpawn(layout, agent.name, runId, pid).catch((err: unknown) =>
          log(`could not record the client's process group: ${(err as Error).message}`),
        ),
    });
    metrics = extractMetrics(record);
    outcome =
      api.outcome(record) ?? classifyOutcome(record, { requireStructuredOutput: role.jsonSchema !== undefined });
    log(`client ended: ${outcome.kind}: ${outcome.reason}`);
    if (heartbeat?.lost) throw heartbeat.lost;
    follow = await role.followUp(ctx, { outcome, metrics, summary: record.lastAssistantText ?? '' });
  } catch (err) {
    if (err instanceof LeaseLostError) {
      // Someone else owns the task now: touch neither it nor its worktree.
      outcome = { kind: 'error', reason: err.message };
      follow = { summary: `stopped: ${err.message}`, outcome: 'lease_lost' };
    } else {
      outcome = { kind: 'error', reason: `runner: ${(err as Error).message}` };
      follow = await (err instanceof BookkeepingError
        ? settleBookkeeping(ctx, err, outcome)
        : settleUndelivered(ctx, outcome)
      ).catch((e: unknown) => ({
        summary: `${outcome.reason}; settling the task failed too: ${(e as Error).message}`,
      }));
    }
  } finally {
    await heartbeat?.stop();
    await spare;
  }
  log(follow.summary);

  const finishedAt = clock.now();
  const ledger: LedgerRecord = {
    run_id: runId,
    agent: agent.name,
    role: agent.role,
    ...(ctx.task ? { task_id: ctx.task.id } : {}),
    ...((metrics?.model ?? agent.claude.model) ? { model: metrics?.model ?? agent.claude.model } : {}),
    started_at: isoSeconds(startedAt),
    finished_at: isoSeconds(finishedAt),
    duration_ms: metrics?.durationMs ?? finishedAt.getTime() - startedAt.getTime(),
    outcome: follow.outcome ?? outcome.kind,
    reason: follow.summary ? `${outcome.reason} → ${follow.summary}` : outcome.reason,
    cost_usd: metrics?.costUsd ?? 0,
    tokens: metrics?.tokens ?? { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
    turns: metrics?.turns ?? 0,
    ...(metrics?.sessionId ? { session_id: metrics.sessionId } : {}),
    ...(follow.result ? { result: follow.result } : {}),
  };
  await recordRunEnd(layout, ledger, ledger.outcome === 'success');
  return { outcome, followUp: follow, ledger };
}
