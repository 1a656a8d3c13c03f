import os from 'node:os';
import { probeEndpoint } from '../claude/endpoint.js';
import { systemClock } from '../core/clock.js';
import type { Layout } from '../core/paths.js';
import { which } from '../core/which.js';
import { phraseCommands, tickfleetInvocation } from '../init/cliCommand.js';
import { type CommandRunner, runCommand } from '../process/command.js';
import { checkClient, checkCredentials, checkEndpoint } from './checks/claude.js';
import { checkConfig } from './checks/config.js';
import { checkGit, checkNode } from './checks/environment.js';
import { checkLedger, checkQuarantine } from './checks/files.js';
import { checkGh } from './checks/gh.js';
import { checkLocks } from './checks/locks.js';
import { checkRoot } from './checks/root.js';
import { checkTick } from './checks/tick.js';
import { checkWorktrees } from './checks/worktrees.js';
import { clientSetups } from './clientSetups.js';
import type { DoctorDeps, Finding, ResolvedDeps } from './finding.js';

/**
 * Look at everything an unattended fleet depends on and return what was
 * found, with a fix for each problem. Checks as much as it can whatever is
 * broken: a bad agents.yaml still gets its client checked (read leniently).
 * Reads only; prints nothing.
 */
export async function runDoctor(layout: Layout, deps: DoctorDeps = {}): Promise<Finding[]> {
  const d = resolveDeps(layout, deps);
  const now = d.clock.now();
  const { findings: configFindings, config, text } = await checkConfig(layout);
  const findings: Finding[] = [...configFindings, checkNode(d.nodeVersion), await checkGit(d)];
  for (const setup of clientSetups(config, text)) {
    findings.push(await checkClient(layout, setup, d), checkCredentials(setup, d));
    const endpoint = await checkEndpoint(setup, d, d.probe);
    if (endpoint) findings.push(endpoint);
  }
  if (config) {
    const root = checkRoot(config, d.isRoot);
    if (root) findings.push(root);
    findings.push(await checkGh(layout, config, d));
  }
  findings.push(await checkTick(layout, now, config?.metrics.textfile));
  findings.push(...(await checkLocks(layout, now)));
  findings.push(...(await checkWorktrees(layout)));
  findings.push(await checkLedger(layout), checkQuarantine(layout));
  // Checks name commands as `tickfleet …`; a fix must be typed as tickfleet runs here (a submodule has no `tickfleet` on PATH).
  return findings.map((f) => (f.fix ? { ...f, fix: phraseCommands(f.fix, d.invocation) } : f));
}

/** Doctor's commands give up after 20 s unless a check says otherwise; one that cannot be executed counts as missing. */
export const runDoctorCommand: CommandRunner = (command, args, options = {}) =>
  runCommand(command, args, { unexecutableIsMissing: true, ...options, timeoutMs: options.timeoutMs ?? 20_000 });

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

function resolveDeps(layout: Layout, deps: DoctorDeps): ResolvedDeps {
  const env = deps.env ?? process.env;
  return {
    env,
    which: deps.which ?? which,
    run: deps.run ?? runDoctorCommand,
    clock: deps.clock ?? systemClock,
    home: deps.home ?? os.homedir(),
    nodeVersion: deps.nodeVersion ?? process.versions.node,
    isRoot: deps.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0),
    platform: deps.platform ?? process.platform,
    probe: deps.probe ?? ((url: string) => probeEndpoint(url)),
    invocation: deps.invocation ?? tickfleetInvocation(layout.root, { searchPath: env.PATH }).command,
  };
}
