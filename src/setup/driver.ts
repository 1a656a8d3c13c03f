import { commandLine } from '../process/shellQuote.js';
import { type SetupContext, type TOOL_ENV, type ToolResult, toolCommand } from './context.js';
import type { SetupItem, SetupPlan, TickSpec } from './plan.js';

/** What one install or uninstall did, before it is wrapped into a SetupResult. */
export interface Applied {
  items: SetupItem[];
  /** Commands that changed something, as a person would type them. */
  ran: string[];
  skipped: string[];
  /** The scheduler was told (loaded, enabled); false when only files were written. */
  activated: boolean;
}

/** One scheduler: how it renders the tick, installs it and removes it. */
export interface SchedulerDriver {
  plan(ctx: SetupContext, spec: TickSpec): SetupPlan;
  install(ctx: SetupContext, plan: SetupPlan): Promise<Applied>;
  uninstall(ctx: SetupContext, plan: SetupPlan): Promise<Applied>;
  /** The label, unit or marker that names our entry in this scheduler. */
  id(plan: SetupPlan): string;
}

export function newApplied(): Applied {
  return { items: [], ran: [], skipped: [], activated: true };
}

/**
 * Run a control tool. Queries (`query: true`) are not listed in the report:
 * it shows what changed the machine.
 */
export async function callTool(
  ctx: SetupContext,
  applied: Applied,
  tool: keyof typeof TOOL_ENV,
  args: string[],
  options: { input?: string; query?: boolean } = {},
): Promise<ToolResult> {
  const result = await ctx.run(toolCommand(ctx, tool), args, options.input);
  if (!result.missing && !options.query) applied.ran.push(commandLine(tool, args));
  return result;
}

/** The tool's own words for a failure, on one line. */
export function toolError(result: ToolResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n').filter(Boolean).join('; ');
  return text === '' ? `exit code ${result.exitCode}` : text;
}
