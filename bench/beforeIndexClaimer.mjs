// One claimer of the baseline in bench/claims.mjs: a claim as it was made
// before the queue index, rebuilt from today's library parts so it runs in
// the same hour as the claims it is compared with. Each claim lists
// incoming/ and ranks every file's summary (the fast reader, kept per process
// while a file's inode, size and times are unchanged) before the lock; under
// the lock the first ranked file still there is read in full, parsed and
// leased. That is the claim whose cost the issue reports: about 335 ms alone
// and 8 claims/s for 8 claimers at 10,000 tasks, in its own hour.
//
//   node bench/beforeIndexClaimer.mjs <dist> <project root> <claims> <name>
//
// Every file is read once before it says it is ready (`<root>/ready-<name>`)
// and waits for the start signal (`<root>/go`), so the
// figure is this claim's steady rate, not a fresh process's first pass: the
// comparison favours the baseline. Prints {claims: [[id, ms]], cpuMs} and
// writes `<root>/done-<name>` when it is through.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [distDir, root, count, name] = process.argv.slice(2);
const dist = (p) => import(pathToFileURL(path.join(distDir, p)).href);
const { layoutFor } = await dist('core/paths.js');
const { fileOf, listIds, readTextSync } = await dist('core/queueFolder.js');
const { doneBlockers } = await dist('tasks/blockers.js');
const { taskQueue } = await dist('tasks/folders.js');
const { parseTask } = await dist('tasks/format.js');
const { newLease } = await dist('tasks/lease.js');
const { claimability, compareClaimOrder } = await dist('tasks/order.js');
const { summarizeTask } = await dist('tasks/scan.js');
const { saveTask, withTaskLock } = await dist('tasks/store.js');

const layout = layoutFor(root);
const q = taskQueue(layout);
/** Per id: the file's key when it was read, and its summary. */
const known = new Map();

function rankIncoming(now, done) {
  const summaries = [];
  for (const id of listIds(q, 'incoming')) {
    const file = fileOf(q, 'incoming', id);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) continue;
    const key = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    let entry = known.get(id);
    if (entry?.key !== key) {
      const text = readTextSync(file);
      entry = { key, summary: text === undefined ? undefined : summarizeTask(text, id) };
      known.set(id, entry);
    }
    if (entry.summary) summaries.push(entry.summary);
  }
  return summaries
    .filter((s) => s.role === 'implement' && claimability(s, done, now).claimable)
    .sort(compareClaimOrder);
}

async function claimOne() {
  const ranked = rankIncoming(new Date(), doneBlockers(q));
  return withTaskLock(layout, async () => {
    for (const candidate of ranked) {
      const file = fileOf(q, 'incoming', candidate.id);
      const text = readTextSync(file);
      if (text === undefined) continue; // claimed by another claimer since the ranking
      const task = parseTask(text, file, 'incoming');
      const now = new Date();
      task.lease = newLease(name, 3600, now);
      task.not_before = undefined;
      await saveTask(layout, task, 'claimed');
      return task.id;
    }
    return undefined;
  });
}

rankIncoming(new Date(), doneBlockers(q));
writeFileSync(path.join(root, `ready-${name}`), '');
while (!existsSync(path.join(root, 'go'))) await new Promise((r) => setTimeout(r, 2));
const claims = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < Number(count); i++) {
  const t = process.hrtime.bigint();
  const id = await claimOne();
  if (id === undefined) break;
  claims.push([id, Number(process.hrtime.bigint() - t) / 1e6]);
}
const cpu = process.cpuUsage(cpu0);
writeFileSync(path.join(root, `done-${name}`), '');
process.stdout.write(JSON.stringify({ claims, cpuMs: (cpu.user + cpu.system) / 1000 }));
