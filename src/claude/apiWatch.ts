import { type EndpointProbe, probeEndpoint, shownUrl } from './endpoint.js';
import type { ApiRetryEvent, RateLimitInfo, StreamItem } from './events.js';
import { type Outcome, usageLimit } from './outcome.js';
import type { RunRecord } from './record.js';

/**
 * Watches a run's stream for API trouble that no retry will fix, so the run
 * stops within seconds instead of after the client's own retries (10 by
 * default, about 3 minutes for a 429 or a refused connection):
 *
 * - a retry of an HTTP 429: a rate limit (an API key's 429 is retried; a
 *   subscription's is not, and comes with a rate_limit_event);
 * - a rate_limit_event whose status is `rejected` and that extra usage does
 *   not cover: the subscription's window is used up, until `resetsAt`;
 * - a retry with no HTTP status (the client's category `unknown`: no
 *   response at all) while a probe of the endpoint finds nothing listening.
 *   A connection reset on a live server passes the probe and is left to the
 *   client's retries, as are 5xx and 529 (overloaded) retries.
 */

export type ApiVerdict =
  | { kind: 'limit'; retry?: ApiRetryEvent; rateLimit?: RateLimitInfo }
  | { kind: 'unreachable'; url: string; reason: string; retry: ApiRetryEvent };

export interface ApiWatchOptions {
  /** The endpoint the client was given (ANTHROPIC_BASE_URL or the default). */
  baseUrl: string;
  /** Called once, with the verdict: stop the client. */
  stop: (verdict: ApiVerdict) => void;
  probe?: (url: string) => Promise<EndpointProbe>;
}

export interface ApiWatch {
  onEvent(item: StreamItem): void;
  readonly verdict: ApiVerdict | undefined;
  /** The run's outcome when the watch stopped it, else undefined (classify as usual). */
  outcome(record: RunRecord): Outcome | undefined;
}

/** A rejected window that extra usage pays for is not a stop: the client goes on, billed as overage. */
export function limitRejects(info: RateLimitInfo): boolean {
  if (info.status !== 'rejected') return false;
  const overage = info.overageStatus;
  return !(info.isUsingOverage === true || overage === 'allowed' || overage === 'allowed_warning');
}

export function watchApi(options: ApiWatchOptions): ApiWatch {
  const probe = options.probe ?? ((url: string) => probeEndpoint(url));
  let verdict: ApiVerdict | undefined;
  let probing = false;
  const decide = (v: ApiVerdict): void => {
    if (verdict) return;
    verdict = v;
    options.stop(v);
  };

  return {
    get verdict() {
      return verdict;
    },
    onEvent(item) {
      if (verdict) return;
      if (item.kind === 'rate_limit' && limitRejects(item.event.rate_limit_info)) {
        decide({ kind: 'limit', rateLimit: item.event.rate_limit_info });
      } else if (item.kind === 'api_retry') {
        const retry = item.event;
        if (retry.error_status === 429 || retry.error === 'rate_limit') decide({ kind: 'limit', retry });
        else if (retry.error_status == null && !probing) {
          probing = true;
          void probe(options.baseUrl)
            .then((p) => {
              if (!p.ok) decide({ kind: 'unreachable', url: p.url, reason: p.reason, retry });
            })
            // A probe that itself fails decides nothing: the run's own timeouts still stand.
            .catch(() => undefined)
            .finally(() => (probing = false));
        }
      }
    },
    outcome(record) {
      if (!verdict) return undefined;
      if (verdict.kind === 'unreachable') {
        return {
          kind: 'endpoint_unreachable',
          url: verdict.url,
          reason: `endpoint unreachable: ${shownUrl(verdict.url)} (${verdict.reason}; stopped at the client's retry ${verdict.retry.attempt} of ${verdict.retry.max_retries})`,
        };
      }
      const detail = verdict.retry
        ? `HTTP ${verdict.retry.error_status ?? 429}, stopped at the client's retry ${verdict.retry.attempt} of ${verdict.retry.max_retries}`
        : `the client reported the limit rejected${verdict.rateLimit?.rateLimitType ? ` (${verdict.rateLimit.rateLimitType})` : ''}, stopped at once`;
      const rateLimit = record.rateLimit ?? verdict.rateLimit;
      return usageLimit(
        { ...record, ...(rateLimit ? { rateLimit } : {}) },
        detail,
        record.result?.result ?? record.lastAssistantText,
      );
    },
  };
}
