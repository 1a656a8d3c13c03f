/**
 * Which optional steps to take. A flag decides; without one, `-y` or a
 * non-interactive run takes the default (yes); otherwise the user is asked.
 * The question is injected so the CLI owns the terminal and tests own the answers.
 */
export interface InitFlags {
  yes?: boolean;
  skills?: boolean;
  gitignore?: boolean;
  claudeMd?: boolean;
}

export interface InitChoices {
  skills: boolean;
  gitignore: boolean;
  claudeMd: boolean;
}

export type Ask = (question: string) => Promise<boolean>;

export interface ChoiceContext {
  interactive: boolean;
  ask: Ask;
  /** The claude.md that lacks the two lines that point agents at their instructions; undefined = nothing to ask about. */
  claudeMdToEdit?: string;
}

export async function resolveChoices(flags: InitFlags, ctx: ChoiceContext): Promise<InitChoices> {
  const decide = async (flag: boolean | undefined, question: string): Promise<boolean> => {
    if (flag !== undefined) return flag;
    if (flags.yes || !ctx.interactive) return true;
    return ctx.ask(question);
  };
  const skills = await decide(
    flags.skills,
    'Install the management slash commands (/enqueue, /queue-status, ...) into .claude/commands/?',
  );
  const gitignore = await decide(flags.gitignore, "Add tickfleet's runtime folders to .gitignore?");
  const claudeMd =
    ctx.claudeMdToEdit === undefined && flags.claudeMd === undefined
      ? true
      : await decide(
          flags.claudeMd,
          `Add the two tickfleet lines (agent instructions, messages) to ${ctx.claudeMdToEdit ?? 'claude.md'}?`,
        );
  return { skills, gitignore, claudeMd };
}
