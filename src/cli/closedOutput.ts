import { errnoCode } from '../core/errors.js';

/**
 * A reader that stops early (`tickfleet status | head -1`) closes the pipe,
 * and node reports the next write as an EPIPE error that would end the
 * process with a stack trace. Nothing more can reach that reader, so later
 * writes are dropped and the command finishes as it would have; a command
 * that would go on writing forever (`status --watch`, `watch`) stops, as it
 * does on Ctrl-C.
 */
const closed = new AbortController();

/** Aborted once stdout or stderr is closed by its reader. */
export const outputClosed: AbortSignal = closed.signal;

export function endQuietlyWhenOutputCloses(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: Error) => {
      // Any other write error is not ours to hide: fail as node would.
      if (errnoCode(err) !== 'EPIPE') throw err;
      stream.write = (() => true) as typeof stream.write;
      closed.abort();
    });
  }
}

/** Run `stop` when the output closes (now, if it already has). */
export function onOutputClosed(stop: () => void): () => void {
  if (outputClosed.aborted) {
    stop();
    return () => undefined;
  }
  outputClosed.addEventListener('abort', stop, { once: true });
  return () => outputClosed.removeEventListener('abort', stop);
}
