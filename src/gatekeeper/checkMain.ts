#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import { isoSeconds } from '../core/clock.js';
import { layoutFor } from '../core/paths.js';
import { runCommandCheck } from './commandCheck.js';

/**
 * The detached process a tick starts for one command check, so a long test
 * run never holds up the tick. Its output goes to the gatekeeper's log; the
 * verdict goes to the verdict store. A killed run leaves no verdict: the
 * tick notices its dead process and runs the check again.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      project: { type: 'string' },
      subject: { type: 'string' },
      branch: { type: 'string' },
      head: { type: 'string' },
      check: { type: 'string' },
      required: { type: 'boolean' },
    },
  });
  const { project, subject, branch, head, check } = values;
  if (!project || !subject || !branch || !head || !check) {
    process.stderr.write(
      'usage: checkMain --project <dir> --subject <REV-id> --branch <branch> --head <sha> --check <name> [--required]\n',
    );
    return 2;
  }
  const layout = layoutFor(project);
  const { config } = await loadConfig(layout);
  const command = config.gatekeeper.commands[check];
  if (!command) {
    process.stderr.write(`gatekeeper.commands has no ${check}\n`);
    return 2;
  }
  const timeoutMs = config.gatekeeper.check_timeout_minutes * 60_000;
  const verdict = await runCommandCheck(layout, {
    subject,
    branch,
    head,
    check,
    command,
    required: values.required === true,
    timeoutMs,
    ...(config.review.backend === 'github' ? { remote: config.review.remote } : {}),
  });
  process.stdout.write(
    `${isoSeconds(new Date())} [gatekeeper] ${subject} ${check} at ${head.slice(0, 12)}: ${verdict.verdict}: ${verdict.summary}\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `${isoSeconds(new Date())} [gatekeeper] check failed before recording a verdict: ${(err as Error)?.stack ?? String(err)}\n`,
    );
    process.exitCode = 70;
  },
);
