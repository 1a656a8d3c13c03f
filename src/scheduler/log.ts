import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Clock, isoSeconds, localDay } from '../core/clock.js';
import type { Layout } from '../core/paths.js';

/**
 * `logs/scheduler-YYYY-MM-DD.log` and `logs/<agent>-YYYY-MM-DD.log`, one line
 * per event. Lines are always collected (the tick report shows them); files are
 * written only with --debug.
 */
export class TickLog {
  readonly lines: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly layout: Layout,
    private readonly clock: Clock,
    private readonly toFiles: boolean,
  ) {}

  info(message: string): void {
    this.write('scheduler', message);
  }

  agent(agent: string, message: string): void {
    this.write('scheduler', `[${agent}] ${message}`);
    if (this.toFiles) this.write(agent, message, false);
  }

  private write(file: string, message: string, keep = true): void {
    const now = this.clock.now();
    const line = `${isoSeconds(now)} ${message}`;
    if (keep) this.lines.push(line);
    if (!this.toFiles) return;
    const target = path.join(this.layout.logs, `${file}-${localDay(now)}.log`);
    this.pending.push(fs.mkdir(this.layout.logs, { recursive: true }).then(() => fs.appendFile(target, `${line}\n`)));
  }

  /** Wait for every line to reach its file. */
  async flush(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }
}
