import type { Config } from '../config/agentsConfig.js';
import type { Layout } from '../core/paths.js';
import { ReviewStore } from '../review/reviewStore.js';
import { type ConfiguredCheck, configuredChecks } from './checks.js';
import { type FixMade, type FixOf, readFixMade, readFixOf } from './lineage.js';
import { type InFlight, readInFlight, readVerdicts } from './store.js';
import type { CheckVerdict } from './verdict.js';

export interface CheckState extends ConfiguredCheck {
  verdict?: CheckVerdict;
  inFlight?: InFlight;
}

/** A delivered branch under the gatekeepers: a pending local review and its checks at its current head. */
export interface WaitingBranch {
  /** The review id (`REV-<task>`), the verdict store's subject. */
  subject: string;
  task: string;
  branch: string;
  base: string;
  head: string;
  /** Why its last merge failed, when it came back to pending. */
  mergeError?: string;
  checks: CheckState[];
  /** The fix round it is the delivery of (0: the first delivery), and the subject it continues. */
  fixOf?: FixOf;
  /** The fix task made for it, if any (for its current head or an earlier one). */
  fixMade?: FixMade;
}

/**
 * The branches the gatekeepers look at: every pending local review, with the
 * verdicts and in-flight checks recorded for its current head. A head with a
 * verdict for every configured check waits for nothing; what to do with the
 * verdicts is combine.ts's. Reads a few small files per pending review.
 */
export async function waitingBranches(layout: Layout, config: Config): Promise<WaitingBranch[]> {
  if (!config.gatekeeper.enabled) return [];
  const configured = configuredChecks(config.gatekeeper);
  if (configured.length === 0) return [];
  const out: WaitingBranch[] = [];
  for (const record of await new ReviewStore(layout).list('pending')) {
    const { id: subject, task, branch, base, head } = record.meta;
    const verdicts = await readVerdicts(layout, subject, head);
    const checks: CheckState[] = [];
    for (const c of configured) {
      const verdict = verdicts[c.check];
      const inFlight = verdict ? undefined : await readInFlight(layout, subject, head, c.check);
      checks.push({ ...c, ...(verdict ? { verdict } : {}), ...(inFlight ? { inFlight } : {}) });
    }
    const fixOf = await readFixOf(layout, task);
    const fixMade = await readFixMade(layout, subject);
    out.push({
      subject,
      task,
      branch,
      base,
      head,
      ...(record.meta.merge_error ? { mergeError: record.meta.merge_error } : {}),
      checks,
      ...(fixOf ? { fixOf } : {}),
      ...(fixMade ? { fixMade } : {}),
    });
  }
  return out;
}
