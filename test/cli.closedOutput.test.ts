import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/cli.js';
import { fleetProject } from './helpers/fleet.js';
import { personEnv } from './helpers/installs.js';

const execFileP = promisify(execFile);

const FLEET = `agents:\n${Array.from({ length: 40 }, (_, i) => `  - name: impl-${i}\n    role: implementer\n    interval_seconds: 60\n`).join('')}`;

/**
 * The CLI writing into a pipe whose reader is already gone: the read end is
 * closed before the CLI has started, so its first write meets EPIPE for sure.
 */
function withReaderGone(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: personEnv() });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('output piped into a reader that closes early', () => {
  it.each(['status', 'scheduler --dry-run', 'queue-status'])('`%s` ends quietly with exit 0', async (command) => {
    const layout = await fleetProject(FLEET);
    const args = ['-C', layout.root, ...command.split(' ')];
    expect(await withReaderGone(args)).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('through a shell: `status | head -1` and `scheduler --dry-run | head -1`', async () => {
    const layout = await fleetProject(FLEET);
    for (const command of ['status', 'scheduler --dry-run']) {
      const script = `set -o pipefail; "${process.execPath}" "${CLI}" -C "${layout.root}" ${command} | head -1`;
      const { stdout, stderr } = await execFileP('bash', ['-c', script], { env: personEnv() });
      expect(stdout.split('\n')).toHaveLength(2);
      expect(stderr).toBe('');
    }
  });
});
