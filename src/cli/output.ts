/** Human output helpers. Diagnostics go to stderr; NO_COLOR is honoured. */
export { table } from '../core/table.js';

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !('NO_COLOR' in process.env) && stream.isTTY === true;
}

function paint(code: number, text: string, stream: NodeJS.WriteStream): string {
  return useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const red = (t: string, s = process.stderr) => paint(31, t, s);
export const yellow = (t: string, s = process.stdout) => paint(33, t, s);
export const green = (t: string, s = process.stdout) => paint(32, t, s);
export const dim = (t: string, s = process.stdout) => paint(2, t, s);
export const bold = (t: string, s = process.stdout) => paint(1, t, s);

export function printError(message: string, details: readonly string[] = []): void {
  process.stderr.write(`${red('✗')} ${message}\n`);
  for (const line of details) process.stderr.write(`  ${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}
