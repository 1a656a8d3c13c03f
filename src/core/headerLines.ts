/**
 * Markdown files whose metadata is a title line followed by one `Key: value`
 * line per field (the header-line task and proposal formats). The document is kept
 * as raw pieces so an unchanged file renders byte for byte, unknown lines stay
 * where they were, and only edited lines are rewritten.
 */
export interface HeaderSyntax {
  /** The field, its label as written, and the raw value; undefined when the line is not a header line. */
  parse(line: string): { field: string; label: string; value: string } | undefined;
  /** The label written for a field that gets a new line. */
  label(field: string): string;
  format(label: string, value: string): string;
}

export interface RawLine {
  text: string;
  /** '\n', '\r\n' or '' for a last line without one. */
  eol: string;
}

export interface HeaderLine extends RawLine {
  field?: string;
  label?: string;
  value?: string;
}

export interface HeaderDoc {
  first: RawLine;
  /** Blank lines between the title line and the first header line, as written. */
  gap: string;
  lines: HeaderLine[];
  /** Everything after the header block, byte for byte. */
  body: string;
}

export function splitLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  const re = /([^\n]*?)(\r?\n|$)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') break;
    out.push({ text: m[1] ?? '', eol: m[2] ?? '' });
  }
  return out;
}

export function splitHeaderDoc(text: string, syntax: HeaderSyntax): HeaderDoc {
  const raw = splitLines(text);
  const first = raw[0] ?? { text: '', eol: '' };
  let i = 1;
  let gap = '';
  while (i < raw.length && raw[i]!.text.trim() === '') {
    gap += raw[i]!.text + raw[i]!.eol;
    i++;
  }
  const lines: HeaderLine[] = [];
  for (; i < raw.length; i++) {
    const line = raw[i]!;
    const parsed = syntax.parse(line.text);
    if (parsed === undefined) break;
    lines.push({ ...line, ...parsed });
  }
  // No header line at all: the blank lines belong to the body.
  if (lines.length === 0) return { first, gap: '', lines, body: joinLines(raw.slice(1)) };
  return { first, gap, lines, body: joinLines(raw.slice(i)) };
}

function joinLines(lines: RawLine[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

export interface HeaderEdits {
  /** New title line text (without line ending). */
  first?: string;
  /** Field → new raw value; undefined removes the line. Fields without a line are appended. */
  fields: Map<string, string | undefined>;
  body: string;
}

export function renderHeaderDoc(doc: HeaderDoc, syntax: HeaderSyntax, edits: HeaderEdits): string {
  const eol = doc.first.eol || '\n';
  const pending = new Map(edits.fields);
  const lines: RawLine[] = [];
  for (const line of doc.lines) {
    if (line.field === undefined || !pending.has(line.field)) {
      lines.push(line);
      continue;
    }
    const value = pending.get(line.field);
    pending.delete(line.field);
    if (value !== undefined)
      lines.push({ text: syntax.format(line.label ?? syntax.label(line.field), value), eol: line.eol || eol });
  }
  for (const [field, value] of pending) {
    if (value === undefined) continue;
    const last = lines[lines.length - 1];
    if (last && last.eol === '') last.eol = eol;
    lines.push({ text: syntax.format(syntax.label(field), value), eol });
  }
  const firstLine =
    (edits.first ?? doc.first.text) + (doc.first.eol || (lines.length > 0 || edits.body !== '' ? eol : ''));
  let gap = doc.gap;
  let body = edits.body;
  if (doc.lines.length === 0 && lines.length > 0) {
    // A header block is new: set it off from the title and the body by blank lines.
    gap = eol;
    if (body !== '' && !/^\r?\n/.test(body)) body = eol + body;
  }
  return firstLine + gap + joinLines(lines) + body;
}
