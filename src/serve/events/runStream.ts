import { watch as watchFile } from 'node:fs';
import { open } from 'node:fs/promises';
import { readAgentState } from '../../agents/state.js';
import type { Layout } from '../../core/paths.js';
import type { SseStream } from './sse.js';
import type { TranscriptFile } from './transcriptFile.js';
import { renderTranscriptLine } from './transcriptLine.js';

export interface RunStreamOptions {
  /** The tail sent first to a new client. */
  tailBytes: number;
  /** A fallback read and the check whether the run is over, this often. */
  pollMs: number;
}

/**
 * Follow a transcript as the client writes it: the last `tailBytes` first (or
 * from the byte offset a reconnecting client's `Last-Event-ID` names), then
 * each line as it lands, each event's id its end offset. Ends with an `end`
 * event once the agent's state no longer records this run as running, so an
 * EventSource knows not to reconnect.
 */
export async function followTranscript(
  layout: Layout,
  runId: string,
  transcript: TranscriptFile,
  stream: SseStream,
  from: number | undefined,
  options: RunStreamOptions,
): Promise<void> {
  const handle = await open(transcript.file, 'r');
  let offset = from ?? Math.max(0, (await handle.stat()).size - options.tailBytes);
  let skipPartial = from === undefined && offset > 0;
  let reading: Promise<void> | undefined;
  let again = false;

  const readMore = async (): Promise<void> => {
    const { size } = await handle.stat();
    if (size < offset) offset = 0;
    while (offset < size && !stream.closed) {
      const buf = Buffer.alloc(Math.min(size - offset, 256 * 1024));
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      const chunk = buf.subarray(0, bytesRead);
      let start = 0;
      if (skipPartial) {
        // The tail starts mid-line: begin at the next whole one.
        const nl = chunk.indexOf(10);
        if (nl < 0) return;
        start = nl + 1;
        skipPartial = false;
      }
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl < start) return; // A line still being written: wait for its end.
      let lineStart = start;
      while (lineStart <= lastNl) {
        const nl = chunk.indexOf(10, lineStart);
        const line = chunk.subarray(lineStart, nl).toString('utf8');
        const id = String(offset + nl + 1);
        for (const tail of renderTranscriptLine(line)) stream.send('line', tail, id);
        lineStart = nl + 1;
      }
      offset += lastNl + 1;
    }
  };
  // One read at a time; a change during a read asks for one more.
  const pump = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = readMore()
      .catch(() => stream.end())
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          pump();
        }
      });
  };
  const finishIfOver = async () => {
    const state = await readAgentState(layout, transcript.agent).catch(() => undefined);
    if (state?.running?.run_id === runId) return;
    while (reading) await reading;
    await readMore().catch(() => undefined);
    stream.send('end', { run_id: runId });
    stream.end();
  };

  const watcher = watchFile(transcript.file, () => pump());
  const poll = setInterval(() => {
    pump();
    void finishIfOver();
  }, options.pollMs);
  poll.unref();
  stream.onClose(() => {
    watcher.close();
    clearInterval(poll);
    void handle.close().catch(() => undefined);
  });
  pump();
  await finishIfOver();
}
