export interface FirstLineOptions {
  /** Take the very first line as written (untrimmed, even blank) instead of the first non-blank line, trimmed. */
  verbatim?: boolean;
  /** Cut a longer line to this many characters, the last three being `...`. */
  maxLength?: number;
  /** What to give when there is no line to give. Default ''. */
  orElse?: string;
}

/** One line of a command's output or an error's text, for a one-line message. */
export function firstLine(text: string, options: FirstLineOptions = {}): string {
  const line = options.verbatim
    ? (text.split('\n')[0] ?? '')
    : (text
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l !== '') ?? '');
  const max = options.maxLength;
  const cut = max !== undefined && line.length > max ? `${line.slice(0, max - 3)}...` : line;
  return cut === '' ? (options.orElse ?? '') : cut;
}
