import type { DestinationStream } from 'pino';

/**
 * What the batch is handed to: a SonicBoom (`pino.destination`) in `contentMode: 'buffer'`,
 * which owns the file descriptor.
 */
export interface LineSink {
  write(data: Buffer): unknown;
  flushSync(): void;
}

/**
 * A pino destination that writes the lines logged during one turn of the
 * event loop with one `write(2)`, in the order they were logged.
 *
 * Why: under load Node serves the requests of many connections in one turn,
 * and a synchronous destination pays one system call per line (see
 * docs/performance.md). Lines are joined and handed to the
 * sink from a `setImmediate` callback, i.e. at the end of the same turn, so a
 * line waits well under a millisecond, never for a timer or a size threshold.
 *
 * Nothing is lost on the ways a Node process ends by itself: the pending lines
 * are written by {@link flushSync} (the shutdown sequence calls it through
 * `flushLogs`) and by a `process` `'exit'` listener, which also runs after an
 * uncaught exception or an unhandled rejection. Only a process killed from
 * outside (SIGKILL, the OOM killer) loses the lines of the turn it was in.
 *
 * The writing itself (partial writes, `EAGAIN` on a full pipe, reopening)
 * stays with the sink, SonicBoom.
 */
export class TurnBatchedDestination implements DestinationStream {
  private pending: string[] = [];
  private scheduled = false;
  /** One bound function: scheduled each turn and registered as the `'exit'` listener. */
  private readonly writePending = (): void => {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    // Encoded once here: given a string, SonicBoom measures it, and encodes it again after each write.
    this.sink.write(Buffer.from(data));
  };

  constructor(private readonly sink: LineSink) {
    process.on('exit', this.writePending);
  }

  /** Called by pino with one serialized line (newline included). */
  write(line: string): void {
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.writePending);
  }

  /** Writes the pending lines and makes the sink write everything it holds, before returning. */
  flushSync(): void {
    this.writePending();
    this.sink.flushSync();
  }
}
