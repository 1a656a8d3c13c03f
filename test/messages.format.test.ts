import { describe, expect, it } from 'vitest';
import { formatMessage, messageFileName, slugify } from '../src/messages/format.js';
import { parseMessage } from '../src/messages/parse.js';

const AT = new Date('2024-01-15T14:30:00Z');

// The documented example message, with the time in UTC ('Z') as every tickfleet file writes it.
const SEED_EXAMPLE = `# ⚠️ Test failures in auth module

**Type:** warning
**Time:** 2024-01-15T14:30:00Z
**From:** test-agent
**Task:** TASK-abc123

---

Found 3 failing tests in the authentication module:

- test_login_invalid_password
- test_session_expiry
- test_token_refresh

These may be related to recent changes in PR #42.
`;

const SEED_BODY = SEED_EXAMPLE.split('---\n\n')[1]!.trimEnd();

describe('formatMessage', () => {
  it('writes the documented example byte for byte', () => {
    const text = formatMessage(
      {
        type: 'warning',
        title: 'Test failures in auth module',
        from: 'test-agent',
        task: 'TASK-abc123',
        body: SEED_BODY,
      },
      AT,
    );
    expect(Buffer.from(text)).toEqual(Buffer.from(SEED_EXAMPLE));
  });

  it("leaves the Task line out when there is no task, and uses each type's emoji", () => {
    const cases = { info: 'ℹ️', warning: '⚠️', error: '❌', question: '❓' } as const;
    for (const [type, emoji] of Object.entries(cases)) {
      const text = formatMessage({ type: type as keyof typeof cases, title: 'T', from: 'pm-agent', body: 'b' }, AT);
      expect(text).toBe(
        `# ${emoji} T\n\n**Type:** ${type}\n**Time:** 2024-01-15T14:30:00Z\n**From:** pm-agent\n\n---\n\nb\n`,
      );
    }
  });

  it('keeps header fields on one line and refuses unknown types and empty titles', () => {
    const text = formatMessage({ type: 'info', title: 'two\nlines', from: 'a', body: '' }, AT);
    expect(text.split('\n')[0]).toBe('# ℹ️ two lines');
    expect(text.endsWith('---\n')).toBe(true);
    expect(() => formatMessage({ type: 'shout' as never, title: 'x', from: 'a', body: '' }, AT)).toThrow(
      /unknown message type "shout": use one of info, warning, error, question/,
    );
    expect(() => formatMessage({ type: 'info', title: '  ', from: 'a', body: '' }, AT)).toThrow(/needs a title/);
  });
});

describe('messageFileName', () => {
  it('is <type>-YYYYMMDD-HHMMSS-<slug>.md in UTC, with a numeric suffix for repeats', () => {
    expect(messageFileName('warning', AT, 'Test failures')).toBe('warning-20240115-143000-test-failures.md');
    expect(messageFileName('warning', AT, 'Test failures', 2)).toBe('warning-20240115-143000-test-failures-2.md');
  });

  it('slugs safely and cuts long titles at a word boundary', () => {
    expect(slugify('Fix: ../../etc/passwd & “quotes”!')).toBe('fix-etc-passwd-quotes');
    expect(slugify('Ünïcödé café')).toBe('unicode-cafe');
    expect(slugify('!!!')).toBe('message');
    const long = slugify('word '.repeat(30));
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long).toMatch(/^(word-)*word$/);
  });
});

describe('parseMessage', () => {
  it('reads back what formatMessage wrote', () => {
    const file = '/x/warning-20240115-143000-test-failures.md';
    expect(parseMessage(SEED_EXAMPLE, file, new Date(0))).toEqual({
      type: 'warning',
      title: 'Test failures in auth module',
      time: '2024-01-15T14:30:00Z',
      from: 'test-agent',
      task: 'TASK-abc123',
      body: SEED_BODY,
      file,
    });
  });

  it("accepts the seed's own files (no 'Z', no variation selector) and skips files that are not messages", () => {
    const seedFile = SEED_EXAMPLE.replace('14:30:00Z', '14:30:00').replace('⚠️', '⚠');
    const parsed = parseMessage(seedFile, '/x/a.md', new Date(0));
    expect(parsed).toMatchObject({ title: 'Test failures in auth module', time: '2024-01-15T14:30:00' });
    expect(parseMessage('# Notes\n\nnothing here\n', '/x/notes.md', new Date(0))).toBeUndefined();
  });
});
