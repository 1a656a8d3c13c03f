import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, promises as fs, openSync } from 'node:fs';
import path from 'node:path';
import { finished as finishedStream } from 'node:stream/promises';
import { groupAlive, terminateGroup } from '../process/group.js';
import { isProgress } from './events.js';
import { defaultStderrPath, type RunClaudeOptions, type RunRecord } from './record.js';
import { LineSplitter, parseLine } from './stream.js';
import { StreamAccumulator } from './summary.js';

/**
 * Run the client once and watch it: prompt on stdin, stdout to a JSONL
 * transcript (parsed as it arrives), stderr to a sibling file; a wall-clock
 * limit, a stall limit, and the whole process group killed when either hits,
 * when the client lingers after its result, or when it leaves processes
 * behind. child_process is used directly: its 'data' events never wait for the
 * child to exit, and `detached` gives the client a group of its own.
 */

async function tail(file: string, bytes = 4096): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    await handle.close();
  }
}

const armed = (ms: number): boolean => Number.isFinite(ms) && ms > 0;

export async function runClaude(options: RunClaudeOptions): Promise<RunRecord> {
  const [cmd, ...prefix] = options.command;
  if (cmd === undefined) throw new Error('runClaude: command is empty');
  const stderrPath = options.stderrPath ?? defaultStderrPath(options.transcriptPath);
  await fs.mkdir(path.dirname(options.transcriptPath), { recursive: true });
  await fs.mkdir(path.dirname(stderrPath), { recursive: true });

  const stderrFd = openSync(stderrPath, 'a');
  const transcript = createWriteStream(options.transcriptPath, { flags: 'a' });
  const acc = new StreamAccumulator();
  const splitter = new LineSplitter();
  const flags = {
    timedOut: false,
    stalled: false,
    aborted: false,
    lingered: false,
    leftovers: false,
    killedGroup: false,
    sigkilled: false,
  };
  const started = Date.now();
  const argv = [...prefix, ...options.args];

  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(cmd, argv, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', stderrFd] });
  } catch (err) {
    transcript.destroy();
    throw err;
  } finally {
    closeSync(stderrFd); // the child holds its own copy
  }
  const pid = child.pid;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: string | undefined;
  let callbackError: string | undefined;
  let transcriptError: string | undefined;
  // A full disk must not take the supervisor down: the run goes on, the record says what was lost.
  transcript.on('error', (err) => (transcriptError ??= err.message));
  let stdoutClosed = false;
  let afterExitDone = false;
  let terminating: Promise<void> | undefined;
  let finished = false;
  const timers: Record<'wall' | 'stall' | 'result' | 'close', NodeJS.Timeout | undefined> = {
    wall: undefined,
    stall: undefined,
    result: undefined,
    close: undefined,
  };
  const clear = (name: keyof typeof timers): void => {
    if (timers[name]) clearTimeout(timers[name]);
    timers[name] = undefined;
  };

  return new Promise<RunRecord>((resolveRun) => {
    const guard = (fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        callbackError ??= (err as Error).message;
      }
    };
    const terminate = (): void => {
      if (terminating || pid === undefined) return;
      flags.killedGroup = true;
      // A group that cannot be signalled has already gone; the exit handler records how the run ended.
      terminating = terminateGroup(pid, options.killGraceMs)
        .then((sigkilled) => {
          flags.sigkilled ||= sigkilled;
        })
        .catch(() => undefined);
    };
    const armStall = (): void => {
      clear('stall');
      if (armed(options.stallMs) && !acc.summary.result && !exit) {
        timers.stall = setTimeout(() => {
          flags.stalled = true;
          terminate();
        }, options.stallMs);
      }
    };
    const handleLine = (line: string): void => {
      transcript.write(`${line}\n`);
      const item = parseLine(line);
      if (!item) return;
      acc.add(item);
      if (isProgress(item)) armStall();
      guard(() => options.onEvent?.(item));
      if (item.kind === 'result' && !exit) {
        // The work is over: no limit applies any more, but the client gets
        // only a short while to exit by itself.
        clear('wall');
        clear('stall');
        timers.result = setTimeout(() => {
          flags.lingered = true;
          terminate();
        }, options.resultGraceMs ?? 5_000);
      }
    };
    const onAbort = (): void => {
      flags.aborted = true;
      terminate();
    };

    const finish = async (): Promise<void> => {
      if (finished || !exit || !afterExitDone || !stdoutClosed) return;
      finished = true;
      for (const name of Object.keys(timers) as Array<keyof typeof timers>) clear(name);
      options.signal?.removeEventListener('abort', onAbort);
      for (const line of splitter.end()) handleLine(line);
      transcript.end();
      // A transcript write error was kept in transcriptError by its 'error' handler.
      await finishedStream(transcript).catch(() => undefined);
      const finishedAt = Date.now();
      resolveRun({
        ...acc.summary,
        command: [cmd, ...argv],
        cwd: options.cwd,
        timeoutMs: options.timeoutMs,
        stallMs: options.stallMs,
        ...(pid === undefined ? {} : { pid }),
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(finishedAt).toISOString(),
        durationMs: finishedAt - started,
        exitCode: exit.code,
        signal: exit.signal,
        ...(spawnError === undefined ? {} : { spawnError }),
        ...flags,
        ...(callbackError === undefined ? {} : { callbackError }),
        ...(transcriptError === undefined ? {} : { transcriptError }),
        transcriptPath: options.transcriptPath,
        stderrPath,
        // The stderr file may never have been created (the client did not start); the tail is a hint.
        stderrTail: await tail(stderrPath).catch(() => ''),
      });
    };
    const afterExit = async (): Promise<void> => {
      // Anything still in the group is an orphan of this run (a background
      // server, a stuck test): kill it too.
      if (!terminating && pid !== undefined && (await groupAlive(pid))) {
        flags.leftovers = true;
        terminate();
      }
      await terminating;
      afterExitDone = true;
      // A process that left the group may still hold stdout open: stop waiting for it.
      if (!stdoutClosed) timers.close = setTimeout(() => child.stdout?.destroy(), 1_000);
      await finish();
    };

    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) handleLine(line);
    });
    child.stdout?.on('close', () => {
      stdoutClosed = true;
      clear('close');
      void finish();
    });
    child.stdin?.on('error', () => undefined); // the client may exit before reading its prompt
    child.stdin?.end(options.prompt);
    child.on('error', (err) => {
      if (pid !== undefined) return; // a failed kill() on a running child: nothing to record
      spawnError = err.message;
      exit = { code: null, signal: null };
      afterExitDone = true;
      stdoutClosed = true;
      void finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      clear('wall');
      clear('stall');
      clear('result');
      void afterExit();
    });

    if (pid !== undefined) guard(() => options.onSpawn?.(pid));
    if (armed(options.timeoutMs))
      timers.wall = setTimeout(() => {
        flags.timedOut = true;
        terminate();
      }, options.timeoutMs);
    armStall();
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
