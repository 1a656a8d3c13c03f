import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { ExitError } from '../../core/errors.js';
import type { ParsedYaml } from '../parse.js';
import {
  applyEdits,
  type Block,
  column,
  contentEnd,
  fillEmptyValue,
  indentUnit,
  insertAfterLine,
  insertIntoFlowMap,
  isEmptyValue,
  lineEnd,
  lineStart,
  pairOf,
  refuseFlow,
  renderItem,
  renderPair,
  renderScalar,
  replaceScalar,
  type ScalarValue,
  withFinalNewline,
} from './yamlText.js';

/**
 * The three edits the management commands need, each returning the new text:
 * set one scalar (creating the keys above it when missing), append an item to
 * a list of mappings, remove one item. Everything else in the file is kept
 * byte for byte.
 */

/**
 * Set `path` (map keys, from the top level or from `from`, a mapping inside
 * the file whose dotted path is `fromPath`) to a scalar.
 */
export function setScalarIn(
  original: ParsedYaml,
  path: string[],
  value: ScalarValue,
  from?: YAMLMap,
  fromPath = '',
): string {
  const parsed = withFinalNewline(original);
  const { text } = parsed;
  let map = from ?? rootMap(parsed);
  const where = (i: number) => [fromPath, ...path.slice(0, i)].filter(Boolean).join('.');
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const rest = nest(path.slice(i + 1), value);
    if (map === undefined) return text + topLevelPrefix(text) + renderPair(key, rest, '', indentUnit(parsed));
    const pair = pairOf(map, key);
    if (!pair && map.flow) {
      if (typeof rest === 'object') refuseFlow(map, where(i) || 'the top level');
      return applyEdits(text, [insertIntoFlowMap(text, map, key, rest as ScalarValue)]);
    }
    if (!pair) return applyEdits(text, [insertPair(parsed, map, key, rest)]);
    const node = pair.value;
    if (i === path.length - 1) {
      if (isScalar(node) && node.value !== null) return applyEdits(text, [replaceScalar(text, node, value)]);
      if (node === null || (isScalar(node) && node.value === null)) {
        const colon = text.indexOf(':', pair.key.range![1]);
        return applyEdits(text, [{ start: colon + 1, end: colon + 1, insert: ` ${renderScalar(value)}` }]);
      }
      throw new ExitError(
        `cannot set \`${where(i + 1)}\`: it holds a ${isSeq(node) ? 'list' : 'mapping'}, not a single value; edit it by hand`,
      );
    }
    if (isEmptyValue(node)) {
      const indent = ' '.repeat(column(text, pair.key.range![0]) + indentUnit(parsed));
      return applyEdits(
        text,
        fillEmptyValue(
          parsed,
          pair,
          renderPair(path[i + 1]!, nest(path.slice(i + 2), value), indent, indentUnit(parsed)),
        ),
      );
    }
    if (!isMap(node)) throw new ExitError(`cannot set \`${where(path.length)}\`: \`${where(i + 1)}\` is not a mapping`);
    map = node;
  }
  return text;
}

/** Append a mapping to the block list at top-level `key`, creating the list when missing. */
export function appendListItem(original: ParsedYaml, key: string, item: Block): string {
  const parsed = withFinalNewline(original);
  const { text } = parsed;
  const unit = indentUnit(parsed);
  const root = rootMap(parsed);
  if (root === undefined) return `${text + topLevelPrefix(text)}${key}:\n${renderItem(item, ' '.repeat(unit), unit)}`;
  refuseFlow(root, 'the top level');
  const pair = pairOf(root, key);
  if (!pair) {
    const lines = `${key}:\n${renderItem(item, ' '.repeat(unit), unit)}`;
    return applyEdits(text, [
      insertAfterLine(text, contentEnd(root), topLevelPrefix(text.slice(0, lineEnd(text, contentEnd(root)))) + lines),
    ]);
  }
  const seq = pair.value;
  if (isEmptyValue(seq))
    return applyEdits(text, fillEmptyValue(parsed, pair, renderItem(item, ' '.repeat(unit), unit)));
  if (!isSeq(seq)) throw new ExitError(`cannot add to \`${key}\`: it is not a list`);
  refuseFlow(seq, key);
  const indent = ' '.repeat(column(text, seq.range![0]));
  return applyEdits(text, [
    insertAfterLine(
      text,
      contentEnd(seq),
      (itemsSpaced(parsed, seq.items as Node[]) ? '\n' : '') + renderItem(item, indent, unit),
    ),
  ]);
}

/**
 * Remove item `index` of the block list at top-level `key`, with the comment
 * lines directly above it and the blank line that separated it from its
 * neighbours. The last item leaves an empty list (`key: []`).
 */
export function removeListItem(original: ParsedYaml, key: string, index: number): string {
  const parsed = withFinalNewline(original);
  const { text } = parsed;
  const pair = pairOf(rootMap(parsed)!, key)!;
  const seq = pair.value;
  if (!isSeq(seq)) throw new ExitError(`cannot remove from \`${key}\`: it is not a list`);
  refuseFlow(seq, key);
  const items = seq.items as Node[];
  const item = items[index]!;
  if (items.length === 1) {
    // `key: []`, keeping a comment written after the key.
    const colon = text.indexOf(':', pair.key.range![1]);
    const comment = /#.*/.exec(text.slice(colon + 1, lineEnd(text, colon)))?.[0];
    const end = blockEnd(text, item, column(text, markerOffset(text, item)));
    return applyEdits(text, [{ start: colon + 1, end, insert: ` []${comment ? `  ${comment}` : ''}\n` }]);
  }
  const indent = column(text, markerOffset(text, item));
  let start = lineStart(text, markerOffset(text, item));
  // Comment lines directly above the item, at its indentation, describe it.
  while (start > 0 && isCommentAt(lineAt(text, start - 1), indent)) start = lineStart(text, start - 1);
  let end = blockEnd(text, item, indent);
  if (index === 0) {
    while (end < text.length && lineAt(text, end).trim() === '') end = lineEnd(text, end);
  } else {
    while (start > 0 && lineAt(text, start - 1).trim() === '') start = lineStart(text, start - 1);
  }
  return applyEdits(text, [{ start, end, insert: '' }]);
}

/** The top-level mapping; undefined for a file with no keys yet. */
function rootMap(parsed: ParsedYaml): YAMLMap | undefined {
  const root = parsed.doc.contents;
  if (isMap(root) && !(root.flow && root.items.length === 0)) return root;
  if (root === null || (isScalar(root) && root.value === null)) return undefined;
  throw new ExitError('cannot edit agents.yaml: its top level is not a mapping written one key per line');
}

function nest(path: string[], value: ScalarValue): ScalarValue | Block {
  return path.reduceRight<ScalarValue | Block>((inner, key) => ({ [key]: inner }), value);
}

/** A new top-level section is set off by a blank line, as sections usually are. */
function topLevelPrefix(before: string): string {
  if (before === '' || before.endsWith('\n\n')) return '';
  return before.endsWith('\n') ? '\n' : '\n\n';
}

function insertPair(parsed: ParsedYaml, map: YAMLMap, key: string, value: ScalarValue | Block) {
  const { text } = parsed;
  const first = (map.items[0] as Pair<Node>).key;
  const indent = ' '.repeat(column(text, first.range![0]));
  const lines = renderPair(key, value, indent, indentUnit(parsed));
  const at = contentEnd(map);
  return insertAfterLine(text, at, (indent === '' ? topLevelPrefix(text.slice(0, lineEnd(text, at))) : '') + lines);
}

/** Are the list's items separated by blank lines? New items follow the same style. */
function itemsSpaced(parsed: ParsedYaml, items: Node[]): boolean {
  if (items.length < 2) return false;
  const { text } = parsed;
  const previousEnd = lineEnd(text, contentEnd(items[items.length - 2]!));
  return /^[ \t]*\n/m.test(text.slice(previousEnd, lineStart(text, markerOffset(text, items[items.length - 1]!))));
}

/** The `-` of a list item (the item's own range starts after it). */
function markerOffset(text: string, item: Node): number {
  return text.lastIndexOf('-', item.range![0]);
}

/** End of an item: its last content line, plus comment lines indented under it. */
function blockEnd(text: string, item: Node, indent: number): number {
  let end = lineEnd(text, contentEnd(item));
  while (end < text.length && isCommentAt(lineAt(text, end), indent + 1, true)) end = lineEnd(text, end);
  return end;
}

function lineAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return text.slice(start, lineEnd(text, start)).replace(/\n$/, '');
}

function isCommentAt(line: string, indent: number, deeper = false): boolean {
  const m = /^( *)#/.exec(line);
  return m !== null && (deeper ? m[1]!.length >= indent : m[1]!.length === indent);
}
