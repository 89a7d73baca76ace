import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';

/** The capture of the app whose work is running: set around its boot, its requests and its close. */
const owner = new AsyncLocalStorage<LogCapture>();

/**
 * A pino destination that keeps every JSON log line, for assertions.
 *
 * With several apps in one test file, each has its own capture, and a line
 * lands in the capture of the app whose work wrote it: lines logged outside a
 * request (Nest's `Logger`, nestjs-pino's out-of-request logger) go through
 * process-wide loggers, which write to whichever app registered them first,
 * so a line is moved to the capture that {@link LogCapture.run} made current.
 * One exception: while an app boots, Nest buffers every `Logger` line of the
 * process and that app flushes them, so they land in the booting app's capture.
 */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  /** The same lines as written (JSON text), e.g. to see a key written twice, which parsing hides. */
  readonly rawLines: string[] = [];

  /** Runs `work` (and everything it schedules) as this capture's app: what it logs lands here. */
  run<T>(work: () => T): T {
    return owner.run(this, work);
  }

  // Writable calls this synchronously from write() when nothing is queued (callback below is synchronous),
  // so the current capture is the one of the code that logged.
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const target = owner.getStore() ?? this;
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      target.rawLines.push(line);
      target.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }

  /** Lines whose `msg` equals `message`. */
  withMessage(message: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.msg === message);
  }
}
