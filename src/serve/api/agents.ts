import { setAgentPaused, setFleetPaused } from '../../config/edit/edit.js';
import { resumeFleet } from '../../fleet/resume.js';
import { agentStatuses } from '../../status/agentStatus.js';
import type { DocumentedRoute } from '../openapi.js';
import { agentName } from '../params.js';
import { ProblemError, sendJson } from '../problem.js';

/** Agents with their state and why (agent-status --json), and the pause switches of pause-agent and pause-fleet. */
export function agentRoutes(): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [
    {
      method: 'GET',
      path: '/agents',
      summary: "each agent's phase (running, due, waiting, blocked, paused) and why (agent-status --json)",
      handler: async (_req, res, _params, ctx) => sendJson(res, 200, (await agentStatuses(ctx.layout)).agents),
    },
    {
      method: 'GET',
      path: '/agents/:name',
      summary: "one agent's phase and why",
      handler: async (_req, res, params, ctx) => {
        const name = agentName(params.name);
        const { agents } = await agentStatuses(ctx.layout);
        const agent = agents.find((a) => a.name === name);
        if (!agent)
          throw new ProblemError(
            404,
            `no agent named "${name}" in agents.yaml; known agents: ${agents.map((a) => a.name).join(', ') || 'none'}`,
          );
        sendJson(res, 200, agent);
      },
    },
    {
      method: 'POST',
      path: '/fleet/pause',
      write: true,
      summary: 'stop all spawns (pause-fleet); runs in progress finish',
      handler: async (_req, res, _params, ctx) => sendJson(res, 200, await setFleetPaused(ctx.layout, true)),
    },
    {
      method: 'POST',
      path: '/fleet/resume',
      write: true,
      summary: 'resume spawns, clearing a usage-limit pause and freeing the tasks it held (resume-fleet)',
      handler: async (_req, res, _params, ctx) => {
        const { pause, freed, config } = await resumeFleet(ctx.layout);
        sendJson(res, 200, { ...config, changed: config.changed || pause !== undefined, pause, freed });
      },
    },
  ];
  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    routes.push({
      method: 'POST',
      path: `/agents/:name/${verb}`,
      write: true,
      summary: paused
        ? 'pause an agent (pause-agent); a run in progress finishes'
        : 'resume a paused agent (resume-agent)',
      handler: async (_req, res, params, ctx) =>
        sendJson(res, 200, await setAgentPaused(ctx.layout, agentName(params.name), paused)),
    });
  }
  return routes;
}
