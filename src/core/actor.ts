/**
 * Who is calling the CLI: an agent (its runner sets TICKFLEET_AGENT) or a
 * person. Agents are held to every limit; a person may override some with
 * --force, an agent never.
 */
export interface Actor {
  name: string;
  isAgent: boolean;
}

export function currentActor(env: NodeJS.ProcessEnv = process.env): Actor {
  const agent = env.TICKFLEET_AGENT?.trim();
  if (agent) return { name: agent, isAgent: true };
  return { name: env.USER?.trim() || 'human', isAgent: false };
}
