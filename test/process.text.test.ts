import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { firstLine } from '../src/process/firstLine.js';
import { commandLine, shellQuote } from '../src/process/shellQuote.js';

describe('firstLine', () => {
  it('gives the first non-blank line, trimmed', () => {
    expect(firstLine('\n  \n  fatal: no\nmore\n')).toBe('fatal: no');
    expect(firstLine('')).toBe('');
    expect(firstLine(' \n\n')).toBe('');
  });

  it('says something else when there is no line', () => {
    expect(firstLine('\n', { orElse: 'no output' })).toBe('no output');
    expect(firstLine('git version 2.40', { orElse: 'no output' })).toBe('git version 2.40');
  });

  it('verbatim takes the very first line as written', () => {
    expect(firstLine('  padded \nnext', { verbatim: true })).toBe('  padded ');
    expect(firstLine('\nsecond', { verbatim: true })).toBe('');
    expect(firstLine('only', { verbatim: true })).toBe('only');
  });

  it('cuts a long line to maxLength, ending in ...', () => {
    const long = 'x'.repeat(200);
    expect(firstLine(long, { maxLength: 160 })).toBe(`${'x'.repeat(157)}...`);
    expect(firstLine(long, { maxLength: 160 })).toHaveLength(160);
    expect(firstLine('x'.repeat(160), { maxLength: 160 })).toBe('x'.repeat(160));
  });
});

describe('shellQuote', () => {
  it('leaves a plain word bare and quotes the rest', () => {
    expect(shellQuote('/opt/tick-fleet/dist/cli.js')).toBe('/opt/tick-fleet/dist/cli.js');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('always quotes when asked', () => {
    expect(shellQuote('plain', { always: true })).toBe("'plain'");
    expect(shellQuote("it's", { always: true })).toBe("'it'\\''s'");
  });

  it('a quoted word reads back unchanged in sh', () => {
    for (const word of ['plain', 'two words', "it's", '$HOME `x` "q" \\ %', '', 'a\nb']) {
      for (const always of [false, true]) {
        expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word, { always })}`], { encoding: 'utf8' })).toBe(
          word,
        );
      }
    }
  });

  it('commandLine quotes each word as needed', () => {
    expect(commandLine('crontab', ['-l'])).toBe('crontab -l');
    expect(commandLine('launchctl', ['bootstrap', 'gui/501', '/Users/a b/x.plist'])).toBe(
      "launchctl bootstrap gui/501 '/Users/a b/x.plist'",
    );
  });
});
