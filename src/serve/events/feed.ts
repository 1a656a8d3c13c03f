import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { Layout } from '../../core/paths.js';
import type { LedgerRecord } from '../../ledger/record.js';
import { AgentTracker } from './agentTracker.js';
import { type Change, classifyChange, type FileEvent } from './change.js';
import { EventLog } from './eventLog.js';
import type { FleetEventType } from './fleetEvent.js';
import { TaskTracker } from './taskTracker.js';

export interface EventFeedOptions {
  /** Events kept for clients that reconnect with `Last-Event-ID`. Default 1000. */
  capacity?: number;
  clock?: Clock;
  /** Whether the watchers keep the process alive. Default true. */
  persistent?: boolean;
  /** A watcher's error (a folder it cannot read); the feed carries on. */
  onError?(err: Error): void;
  /**
   * How often the queue folders are listed to catch a move the watcher did
   * not report (it drops a file's event that follows the last one within a
   * few tens of milliseconds). Default 2000 ms; 0 = never.
   */
  sweepMs?: number;
}

export interface EventFeed {
  log: EventLog;
  /** Run `fn` when the feed closes (the streams that read it end then). */
  onClose(fn: () => void): void;
  close(): Promise<void>;
}

/**
 * The folders watched, each only as deep as the files the feed reads, so a
 * worktree's thousands of files are never watched: queue and review records
 * (`shared/<queue>/<state>/<id>.md`), agents' `state.json`, ledger records
 * (`runs/<day>/<run>.json`), messages, and `fleet.json` and agents.yaml at
 * the top.
 */
function targets(layout: Layout): { dir: string; depth: number }[] {
  return [
    { dir: layout.queue, depth: 1 },
    { dir: layout.reviews, depth: 1 },
    { dir: layout.agents, depth: 1 },
    { dir: layout.runs, depth: 1 },
    { dir: layout.messages, depth: 0 },
    { dir: layout.dir, depth: 0 },
  ];
}

/**
 * Watch `.orchestrator/` and append what changes to an event log. chokidar
 * (already the `watch` command's watcher) rather than `fs.watch`: it reports
 * add, change and unlink per file with a depth limit and picks up folders
 * made later, where `fs.watch` reports a bare `rename` (a stat per event to
 * tell an arrival from a departure) and, recursive, would descend into every
 * worktree. Resolves once the watchers are ready: a change made after that is
 * never missed.
 */
export async function startEventFeed(layout: Layout, options: EventFeedOptions = {}): Promise<EventFeed> {
  const clock = options.clock ?? systemClock;
  const log = new EventLog(options.capacity ?? 1000, clock.now());
  const emit = (type: FleetEventType, data: Record<string, unknown>) => void log.append(type, data, clock.now());
  const tasks = new TaskTracker(layout, emit);
  const agents = new AgentTracker(layout, emit);
  tasks.seed();
  await agents.seed();

  const onChange = (change: Change, event: FileEvent, file: string): Promise<void> | undefined => {
    switch (change.area) {
      case 'task':
        return tasks.onFile(event, change.folder, change.id);
      case 'agent':
        return event === 'unlink' ? undefined : agents.onState(change.agent);
      case 'ledger':
        return event === 'add' ? runEnded(file, emit) : undefined;
      case 'message':
        if (event === 'change') return undefined;
        emit(event === 'add' ? 'message.sent' : 'message.cleared', { file: change.name });
        return undefined;
      case 'review':
        if (event === 'add') emit('review.moved', { id: change.id, to: change.state });
        return undefined;
      case 'fleet':
        emit('fleet', { event });
        return undefined;
      case 'config':
        if (event !== 'unlink') emit('config', { event });
        return undefined;
    }
  };

  const watchers: FSWatcher[] = [];
  const report = (err: unknown) => options.onError?.(err instanceof Error ? err : new Error(String(err)));
  for (const target of targets(layout)) {
    await fs.mkdir(target.dir, { recursive: true });
    // `atomic: false`: chokidar would hold each unlink 100 ms to turn a quick re-add into a change; the
    // task tracker pairs a move's add and unlink itself, and the hold would only delay the event.
    const watcher = watch(target.dir, {
      ignoreInitial: true,
      depth: target.depth,
      persistent: options.persistent ?? true,
      atomic: false,
    });
    watcher.on('all', (event, file) => {
      if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
      const change = classifyChange(path.relative(layout.dir, file));
      if (change) onChange(change, event, file)?.catch(report);
    });
    watcher.on('error', report);
    watchers.push(watcher);
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
  }

  const sweepMs = options.sweepMs ?? 2000;
  const sweeper = sweepMs > 0 ? setInterval(() => tasks.sweep().catch(report), sweepMs) : undefined;
  sweeper?.unref();

  const closers: (() => void)[] = [];
  return {
    log,
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      for (const fn of closers.splice(0)) fn();
      if (sweeper) clearInterval(sweeper);
      tasks.close();
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}

async function runEnded(file: string, emit: (type: FleetEventType, data: Record<string, unknown>) => void) {
  // A record still being written by hand, or removed at once, is reported by `tickfleet doctor`, not here.
  const record = await fs
    .readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as LedgerRecord)
    .catch(() => undefined);
  if (!record) return;
  emit('run.ended', {
    agent: record.agent,
    run_id: record.run_id,
    task_id: record.task_id ?? null,
    outcome: record.outcome,
    reason: record.reason,
    cost_usd: record.cost_usd,
  });
}

/** Where the event routes get their feed: started once, on the first request that needs it. */
export type FeedSource = () => Promise<EventFeed>;

/**
 * A feed started by the first `/events` request, not before: a server nobody
 * streams from watches nothing. Its watchers do not keep the process alive,
 * so the server's own close (which ends every stream's socket) is all a
 * caller has to do.
 */
export function lazyEventFeed(layout: Layout, options: EventFeedOptions = {}): FeedSource {
  let started: Promise<EventFeed> | undefined;
  return () => {
    started ??= startEventFeed(layout, { persistent: false, ...options });
    return started;
  };
}
