/**
 * A word as a POSIX shell reads it back unchanged. Quoted only when needed,
 * so the usual path stays readable; `always` quotes every word (text built
 * into a command whose words are not known in advance).
 */
export function shellQuote(word: string, options: { always?: boolean } = {}): string {
  if (!options.always && /^[A-Za-z0-9_/.,:@%+=-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command as a person would type it, for reports. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((word) => shellQuote(word)).join(' ');
}
