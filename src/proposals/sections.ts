import type { Proposal } from './proposal.js';

/** The text under `## <heading>` (up to the next `## `), or undefined when there is no such section. */
export function proposalSection(p: Pick<Proposal, 'body'>, heading: string): string | undefined {
  const lines = p.body.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().toLowerCase() === `## ${heading.toLowerCase()}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/** The one-line summary. */
export function proposalSummary(p: Pick<Proposal, 'body'>): string {
  return proposalSection(p, 'Summary')?.split('\n')[0]?.trim() ?? '';
}

/** Paths listed under `## Relevant Files` (`- path`, backticks removed): what a conflict check compares. */
export function relevantFiles(p: Pick<Proposal, 'body'>): string[] {
  const section = proposalSection(p, 'Relevant Files') ?? '';
  return section
    .split('\n')
    .map((l) => /^\s*[-*]\s+(.+?)\s*$/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined)
    .map((s) => s.replace(/^`(.*)`$/, '$1').trim())
    .filter((s) => s !== '');
}
