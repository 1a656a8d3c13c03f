import { execa } from 'execa';
import { shellQuote } from '../init/cliCommand.js';

export interface ToolResult {
  /** The tool is not installed (spawn failed with ENOENT). */
  missing: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a control tool (crontab, launchctl, systemctl); injected so library tests need no processes. */
export type ToolRunner = (command: string, args: readonly string[], input?: string) => Promise<ToolResult>;

export const runTool: ToolRunner = async (command, args, input) => {
  const result = await execa(command, [...args], {
    reject: false,
    stripFinalNewline: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  const missing = (result as { code?: string }).code === 'ENOENT';
  return {
    missing,
    exitCode: result.exitCode ?? (missing ? 127 : 1),
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
  };
};

/** A command as a person would type it, for reports. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}
