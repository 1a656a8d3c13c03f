import { existsSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Layout, TASK_STATES, type TaskState, taskDir } from '../../core/paths.js';
import { type Lifecycle, taskLifecycle } from '../../tasks/lifecycle.js';
import { countTask } from '../../tasks/scan.js';
import type { FileEvent } from './change.js';
import type { FleetEventType } from './fleetEvent.js';

export type Emit = (type: FleetEventType, data: Record<string, unknown>) => void;

interface Seen {
  folder: string;
  lifecycle?: Lifecycle;
  /** The file's size and mtime when last reported, to drop a 'change' that changed nothing. */
  stamp?: string;
}

/**
 * How long a task file's unlink waits for its add elsewhere. A move is a
 * rename, which the watcher reports as an add in one folder and an unlink in
 * the other, in either order; only an unlink with no add after it is a removal.
 */
const REMOVAL_GRACE_MS = 300;

/**
 * Turns the watcher's adds and unlinks of task files into moves: it knows
 * which folder each id was last seen in, so an add elsewhere is a move from
 * there, and an add of an id it never saw is a new task.
 */
export class TaskTracker {
  private readonly seen = new Map<string, Seen>();
  private readonly removals = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly layout: Layout,
    private readonly emit: Emit,
  ) {}

  /** Learn where every task is now, before the watchers start (no events for these). */
  seed(): void {
    for (const [id, folder] of this.listFolders()) this.seen.set(id, { folder });
  }

  /**
   * Compare the folders with what the events said: a task found elsewhere is
   * reported as moved, one found nowhere (and not already waiting out its
   * removal grace) as removed. Catches what the watcher dropped; costs one
   * listing of each queue folder.
   */
  async sweep(): Promise<void> {
    const now = this.listFolders();
    for (const [id, folder] of now) {
      if (this.seen.get(id)?.folder !== folder && !this.removals.has(id)) await this.onFile('add', folder, id);
    }
    for (const [id, seen] of [...this.seen]) {
      if (!now.has(id) && !this.removals.has(id)) this.onUnlink(seen.folder, id);
    }
  }

  /** Task id → the folder holding it, from the folder listings. */
  private listFolders(): Map<string, string> {
    const out = new Map<string, string>();
    for (const folder of [...TASK_STATES, 'quarantine'] as const) {
      let names: string[] = [];
      try {
        names = readdirSync(taskDir(this.layout, folder));
      } catch {
        // A folder not made yet holds no task; the watcher sees it appear.
      }
      for (const n of names) if (n.endsWith('.md') && !n.startsWith('.')) out.set(n.slice(0, -3), folder);
    }
    return out;
  }

  async onFile(event: FileEvent, folder: string, id: string): Promise<void> {
    if (event === 'unlink') return this.onUnlink(folder, id);
    const before = this.seen.get(id);
    const pending = this.removals.get(id);
    if (pending) clearTimeout(pending);
    this.removals.delete(id);
    const stamp = await this.stampOf(folder, id);
    // The watcher sometimes follows a file's add with a 'change' of the same bytes (the rename seen
    // twice); only a change a reader could notice is reported.
    if (event === 'change' && before?.folder === folder && stamp !== undefined && stamp === before.stamp) return;
    const now: Seen = { folder, ...(stamp ? { stamp } : {}) };
    this.seen.set(id, now);
    const lifecycle = await this.lifecycleOf(folder, id);
    if (lifecycle) now.lifecycle = lifecycle;
    const common = { id, folder, ...(lifecycle ? { lifecycle } : {}) };
    // A 'change' in another folder than the one the id was seen in is a move too (a file renamed back
    // where it was a moment ago is reported as changed there).
    if (before?.folder === folder || (event === 'change' && before === undefined)) this.emit('task.changed', common);
    else this.emit('task.moved', { ...common, from: before?.folder ?? null });
    if (lifecycle === 'merged' && before?.lifecycle !== 'merged') this.emit('merge', { task: id });
  }

  private onUnlink(folder: string, id: string): void {
    if (this.seen.get(id)?.folder !== folder) return;
    const existing = this.removals.get(id);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.removals.delete(id);
      if (this.seen.get(id)?.folder !== folder) return;
      // The watcher drops an add that comes within 50 ms of the same file's last event (a task
      // moved back where it just left): look where the file is before calling it removed.
      const now = [...TASK_STATES, 'quarantine' as const].find((f) =>
        existsSync(path.join(taskDir(this.layout, f), `${id}.md`)),
      );
      if (now) {
        void this.onFile('add', now, id);
        return;
      }
      this.seen.delete(id);
      this.emit('task.removed', { id, from: folder });
    }, REMOVAL_GRACE_MS);
    timer.unref();
    this.removals.set(id, timer);
  }

  private async stampOf(folder: string, id: string): Promise<string | undefined> {
    const st = await stat(path.join(taskDir(this.layout, folder as TaskState), `${id}.md`)).catch(() => undefined);
    return st ? `${st.size}:${st.mtimeMs}` : undefined;
  }

  /** The lifecycle from the file's first lines; undefined when it is gone already or not readable that way. */
  private async lifecycleOf(folder: string, id: string): Promise<Lifecycle | undefined> {
    if (folder === 'quarantine') return undefined;
    const text = await readFile(path.join(taskDir(this.layout, folder as TaskState), `${id}.md`), 'utf8').catch(
      // Moved on again before this read: its next event carries the lifecycle.
      () => undefined,
    );
    const counts = text === undefined ? undefined : countTask(text);
    return counts ? taskLifecycle({ ...counts, state: folder as TaskState }) : undefined;
  }

  close(): void {
    for (const timer of this.removals.values()) clearTimeout(timer);
    this.removals.clear();
  }
}
