import { describe, expect, it } from 'vitest';
import { type InitFlags, resolveChoices } from '../src/init/choices.js';

function asker(answer: boolean) {
  const asked: string[] = [];
  return {
    asked,
    ask: async (q: string) => {
      asked.push(q);
      return answer;
    },
  };
}

describe('resolveChoices', () => {
  it('takes flags as given and asks nothing', async () => {
    const { asked, ask } = asker(true);
    const flags: InitFlags = { skills: false, gitignore: true, claudeMd: false };
    expect(await resolveChoices(flags, { interactive: true, ask, claudeMdToEdit: 'CLAUDE.md' })).toEqual({
      skills: false,
      gitignore: true,
      claudeMd: false,
    });
    expect(asked).toEqual([]);
  });

  it('accepts every default with -y, and without a terminal', async () => {
    const { asked, ask } = asker(false);
    expect(await resolveChoices({ yes: true }, { interactive: true, ask, claudeMdToEdit: 'CLAUDE.md' })).toEqual({
      skills: true,
      gitignore: true,
      claudeMd: true,
    });
    expect(await resolveChoices({}, { interactive: false, ask, claudeMdToEdit: 'CLAUDE.md' })).toEqual({
      skills: true,
      gitignore: true,
      claudeMd: true,
    });
    expect(asked).toEqual([]);
  });

  it('asks on a terminal, and about claude.md only when there is one to edit', async () => {
    const no = asker(false);
    expect(await resolveChoices({ skills: true }, { interactive: true, ask: no.ask })).toEqual({
      skills: true,
      gitignore: false,
      claudeMd: true,
    });
    expect(no.asked).toEqual(["Add tickfleet's runtime folders to .gitignore?"]);
    const yes = asker(true);
    await resolveChoices({}, { interactive: true, ask: yes.ask, claudeMdToEdit: '/p/CLAUDE.md' });
    expect(yes.asked).toHaveLength(3);
    expect(yes.asked[2]).toContain('/p/CLAUDE.md');
  });
});
