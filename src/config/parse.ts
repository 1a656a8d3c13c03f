import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { ConfigProblem } from './agentsConfig.js';

/** agents.yaml parsed once, with what is needed to name lines in messages. */
export interface ParsedYaml {
  text: string;
  doc: Document.Parsed;
  /** 1-based line of a character offset. */
  lineAt(offset: number): number;
  /** YAML syntax errors; when there are any, the document's structure is not trusted. */
  syntax: ConfigProblem[];
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // prettyErrors off: we print our own one-line message with the line number.
  // merge on: `<<: *anchor` shares settings between agents, as YAML users expect.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const syntax = doc.errors.map((err) => syntaxProblem(err, text, lineAt));
  return { text, doc, lineAt, syntax };
}

function syntaxProblem(err: YAMLError, text: string, lineAt: (offset: number) => number): ConfigProblem {
  const line = lineAt(err.pos[0]);
  if (err.code === 'DUPLICATE_KEY') {
    const key = text.slice(err.pos[0]).split(/[:\n]/, 1)[0]!.trim();
    return { path: '', line, message: `not valid YAML: the key \`${key}\` appears twice in the same mapping` };
  }
  const first = err.message.split('\n', 1)[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { path: '', line, message: `not valid YAML: ${first}` };
}
