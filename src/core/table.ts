/** Aligned text columns, for the CLI and for library code that formats reports (status, doctor). */

/** Left-aligned columns: every row is padded to the widest cell of its column. */
export function table(rows: string[][], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what starts a terminal colour code.
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}
