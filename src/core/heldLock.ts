import type { HeldLock } from './lock.js';
import type { ProcessIdentity } from './processInfo.js';

/** How each kind of lock keeps and lets go of a hold (lock.ts: a folder; tokenLock.ts: a renamed token). */
export interface HoldActions {
  /** Refresh the hold's mtime; false when it was taken over (we were stale). */
  keep(): boolean;
  /** Give the lock back. */
  letGo(): void;
}

/** Holds of this process, let go if it exits without releasing them. */
const held = new Map<object, HoldActions>();
let exitHook = false;

/**
 * The HeldLock a lock hands out: refreshed every half stale time while held,
 * `compromised` once a refresh finds it taken over, let go on release (or at
 * exit, when the process ends still holding it).
 */
export function heldLock(actions: HoldActions, staleMs: number, from?: ProcessIdentity): HeldLock {
  const key = {};
  let compromised = false;
  let released = false;
  held.set(key, actions);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const hold of held.values()) {
        try {
          hold.letGo();
        } catch {
          // Exiting: a lock left behind names a dead holder and is taken over at once.
        }
      }
    });
  }
  const every = Math.max(1_000, Math.floor(staleMs / 2));
  const refresh = (): void => {
    if (released) return;
    if (!actions.keep()) {
      compromised = true;
      held.delete(key);
      return;
    }
    timer = setTimeout(refresh, every).unref();
  };
  let timer = setTimeout(refresh, every).unref();
  return {
    ...(from ? { takenOverFrom: from } : {}),
    get compromised() {
      return compromised;
    },
    async release() {
      if (released) return;
      released = true;
      clearTimeout(timer);
      held.delete(key);
      // Taken over already (we were stale): nothing of ours left to undo.
      if (!compromised) actions.letGo();
    },
  };
}
