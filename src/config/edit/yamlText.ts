import { isMap, isPair, isScalar, isSeq, type Node, type Pair, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import { ExitError } from '../../core/errors.js';
import type { ParsedYaml } from '../parse.js';

/**
 * Text-level edits of a YAML file located through the parsed document.
 * Re-serialising the document would keep comments but realign them and
 * re-wrap long lines; splicing the text changes only the lines being edited,
 * so the user's layout survives.
 */

export type ScalarValue = string | number | boolean;
/** Nested plain data rendered as block YAML: a scalar, or a mapping of them. */
export interface Block {
  [key: string]: ScalarValue | Block;
}

interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

/**
 * Replace a scalar's text. A comment after it on the same line keeps its
 * column when there is room, so aligned comments stay aligned.
 */
export function replaceScalar(text: string, node: Node, value: ScalarValue): TextEdit {
  const [start, end] = node.range!;
  const insert = renderScalar(value);
  const gap = /^( +)#/.exec(text.slice(end, lineEnd(text, end)))?.[1];
  if (gap === undefined) return { start, end, insert };
  const spaces = Math.max(1, gap.length - (insert.length - (end - start)));
  return { start, end: end + gap.length, insert: insert + ' '.repeat(spaces) };
}

export function renderScalar(value: ScalarValue): string {
  if (typeof value !== 'string') return String(value);
  // YAML 1.1 readers (and people) take these words for booleans or null: quote them.
  if (/^(y|yes|n|no|on|off|true|false|null|~)$/i.test(value)) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** The same parse with a final newline added when missing: offsets do not move, and inserted lines need not care. */
export function withFinalNewline(parsed: ParsedYaml): ParsedYaml {
  return parsed.text === '' || parsed.text.endsWith('\n') ? parsed : { ...parsed, text: `${parsed.text}\n` };
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the newline ending the line that holds `offset`. */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/**
 * The last character of a node's own content. A block collection's range runs
 * on over the blank lines after it when a comment follows, so descend to its
 * last scalar instead.
 */
export function contentEnd(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1] as unknown;
    if (!isPair(last)) return contentEnd(last as Node);
    const value = last.value as Node | null;
    // An empty value's range can sit after a trailing comment: the key is where the content ends.
    return value === null || (isScalar(value) && value.value === null)
      ? contentEnd(last.key as Node)
      : contentEnd(value);
  }
  return Math.max(node.range![1] - 1, 0);
}

/** The step between two nesting levels in this file (2 unless it visibly uses another). */
export function indentUnit(parsed: ParsedYaml): number {
  const root = parsed.doc.contents;
  if (!isMap(root)) return 2;
  for (const pair of root.items) {
    const value = pair.value as Node | null;
    if ((isMap(value) || isSeq(value)) && !value.flow && value.range) {
      const col = column(parsed.text, value.range[0]);
      if (col > 0) return col;
    }
  }
  return 2;
}

/** Block YAML lines for `key: value`, each ending in a newline. */
export function renderPair(key: string, value: ScalarValue | Block, indent: string, unit: number): string {
  if (typeof value !== 'object') return `${indent}${key}: ${renderScalar(value)}\n`;
  const inner = indent + ' '.repeat(unit);
  return `${indent}${key}:\n${Object.entries(value)
    .map(([k, v]) => renderPair(k, v, inner, unit))
    .join('')}`;
}

/** A list item: `- first: x` then the other keys under it. */
export function renderItem(item: Block, indent: string, unit: number): string {
  const lines = Object.entries(item).map(([k, v]) => renderPair(k, v, `${indent}  `, unit));
  return lines.join('').replace(`${indent}  `, `${indent}- `);
}

/** A pair with this key in a block map, or undefined. */
export function pairOf(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

/** An empty value: nothing after the colon, or `{}` / `[]`. */
export function isEmptyValue(node: Node | null): boolean {
  if (node === null || (isScalar(node) && node.value === null)) return true;
  return (isMap(node) || isSeq(node)) && node.flow === true && node.items.length === 0;
}

/**
 * Put block lines under a key whose value is empty: the `{}` or `[]` goes,
 * the lines go right after the key's line (before any commented-out children).
 */
export function fillEmptyValue(parsed: ParsedYaml, pair: Pair<Node, Node | null>, lines: string): TextEdit[] {
  const { text } = parsed;
  const value = pair.value;
  const edits: TextEdit[] = [];
  let after = pair.key.range![1];
  if (value && !isScalar(value) && value.range) {
    const colon = text.indexOf(':', pair.key.range![1]);
    edits.push({ start: colon + 1, end: value.range[1], insert: '' });
    after = value.range[1];
  }
  const at = lineEnd(text, after);
  edits.push({ start: at, end: at, insert: lines });
  return edits;
}

/** Insert lines after the line holding `offset` (the text ends with a newline: see withFinalNewline). */
export function insertAfterLine(text: string, offset: number, lines: string): TextEdit {
  const at = lineEnd(text, offset);
  return { start: at, end: at, insert: lines };
}

/** Add `key: value` before the closing brace of a flow mapping: `{a: 1}` → `{a: 1, b: 2}`. */
export function insertIntoFlowMap(text: string, map: YAMLMap, key: string, value: ScalarValue): TextEdit {
  let at = text.lastIndexOf('}', map.range![1]);
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  const separator = text[at - 1] === ',' ? ' ' : ', ';
  return { start: at, end: at, insert: `${separator}${key}: ${renderScalar(value)}` };
}

export function refuseFlow(node: YAMLMap | YAMLSeq, path: string): void {
  if (node.flow && node.items.length > 0) {
    throw new ExitError(
      `cannot edit \`${path}\`: it is written in flow style (${isMap(node) ? '{...}' : '[...]'}); rewrite it one entry per line, or edit it by hand`,
    );
  }
}
