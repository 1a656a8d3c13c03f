import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupAlive, terminateGroup } from '../src/process/group.js';
import { runProcess } from '../src/process/run.js';
import { tempDir } from './helpers/tmp.js';

/** A shell leading its own group with two sleeps in it; its pid is the group's id. */
function sleepyGroup(script = 'sleep 100 & sleep 100'): number {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

describe('process groups', () => {
  it('terminateGroup ends every member with SIGTERM', async () => {
    const pgid = sleepyGroup();
    expect(await groupAlive(pgid)).toBe(true);
    expect(await terminateGroup(pgid, 5_000)).toBe(false); // SIGTERM was enough
    expect(await groupAlive(pgid)).toBe(false);
  });

  it('terminateGroup uses SIGKILL after the grace when SIGTERM is ignored', async () => {
    const pgid = sleepyGroup('trap "" TERM; sleep 100 & sleep 100');
    await new Promise((r) => setTimeout(r, 100)); // let the shell set its trap before the signal
    expect(await terminateGroup(pgid, 200)).toBe(true);
    expect(await groupAlive(pgid)).toBe(false);
  });

  it('a group run that times out is gone entirely, background members too', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const r = await runProcess('sh', ['-c', `echo $$ > ${pidFile}; sleep 100 & sleep 100`], {
      group: true,
      timeoutMs: 300,
      killGraceMs: 2_000,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const pgid = Number(readFileSync(pidFile, 'utf8'));
    expect(await groupAlive(pgid)).toBe(false);
  });

  it('a group run that ignores SIGTERM is killed after the grace', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const r = await runProcess('sh', ['-c', `trap "" TERM; echo $$ > ${pidFile}; sleep 100 & sleep 100`], {
      group: true,
      timeoutMs: 300,
      killGraceMs: 200,
    });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(await groupAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('what a group run leaves in the background is killed when it exits', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const r = await runProcess('sh', ['-c', `echo $$ > ${pidFile}; sleep 100 > /dev/null 2>&1 &`], {
      group: true,
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await groupAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('writes a group run to a file descriptor', async () => {
    const log = path.join(tempDir(), 'log');
    const fd = openSync(log, 'a');
    try {
      const r = await runProcess('sh', ['-c', 'echo out; echo err >&2'], { group: true, outputFd: fd });
      expect(r).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(log, 'utf8')).toBe('out\nerr\n');
  });
});
