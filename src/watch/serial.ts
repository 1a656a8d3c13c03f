/**
 * Runs a job one at a time. A request while the job runs is remembered (once,
 * however many arrive) and runs right after it, so a burst of changes costs
 * at most one extra run and nothing seen during a run is missed.
 */
export class SerialJob<R> {
  private current: Promise<void> | undefined;
  private pending: { reason: R } | undefined;
  private stopped = false;

  constructor(
    private readonly job: (reason: R) => Promise<void>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Run now, or right after the run in progress. Ignored once stopped. */
  request(reason: R): void {
    if (this.stopped) return;
    if (this.current) {
      this.pending ??= { reason };
      return;
    }
    this.current = this.run(reason);
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** No more runs; the one in progress finishes. */
  stop(): void {
    this.stopped = true;
    this.pending = undefined;
  }

  /** Resolves once nothing runs and nothing is pending. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  private async run(reason: R): Promise<void> {
    try {
      await this.job(reason);
    } catch (err) {
      this.onError(err);
    }
    const next = this.stopped ? undefined : this.pending;
    this.pending = undefined;
    this.current = next ? this.run(next.reason) : undefined;
  }
}
