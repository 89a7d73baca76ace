import { Writable } from 'node:stream';

/** A pino destination that keeps every JSON log line, for assertions. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  /** The same lines as written (JSON text), e.g. to see a key written twice, which parsing hides. */
  readonly rawLines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.rawLines.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }

  /** Lines whose `msg` equals `message`. */
  withMessage(message: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.msg === message);
  }
}
