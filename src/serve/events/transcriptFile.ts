import { promises as fs } from 'node:fs';
import path from 'node:path';
import { agentDir, type Layout } from '../../core/paths.js';

export interface TranscriptFile {
  agent: string;
  file: string;
}

/**
 * Where the runner writes a run's stream-json transcript:
 * `agents/<agent>/transcripts/<run-id>.jsonl` (`runner/runAgent.ts`). The
 * caller has checked `runId` against SAFE_ID, so it cannot leave the folder.
 */
export async function findTranscript(layout: Layout, runId: string): Promise<TranscriptFile | undefined> {
  let agents: string[];
  try {
    agents = await fs.readdir(layout.agents);
  } catch {
    return undefined;
  }
  for (const agent of agents.sort()) {
    const file = path.join(agentDir(layout, agent), 'transcripts', `${runId}.jsonl`);
    if (
      await fs.stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return { agent, file };
  }
  return undefined;
}
