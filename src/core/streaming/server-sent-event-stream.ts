import { Readable } from 'node:stream';
import { isObservable, type Observable, type Subscription } from 'rxjs';
import { formatComment, formatServerSentEvent } from './server-sent-event-format';
import { wireFormOf } from './shared-server-sent-event';
import type { ServerSentEvent } from './server-sent-event';

/** What a stream route returns: events pulled one at a time, or pushed by an Observable. */
export type ServerSentEventSource = AsyncIterable<ServerSentEvent> | Observable<ServerSentEvent>;

/**
 * How a stream ended: its source finished, the client went away, the
 * stream's maximum duration passed, the process shut down, or the source
 * failed (or yielded an event that cannot be written).
 */
export type StreamEnd = 'completed' | 'client-closed' | 'max-duration' | 'shutdown' | 'error';

/** What one stream sent, reported once when it is over. */
export interface StreamSummary {
  end: StreamEnd;
  /** Events written (heartbeats and the final `reconnect` event not counted). */
  events: number;
  /** Bytes of the body written to the response, comments included. */
  bytes: number;
  /** The source's failure when `end` is `error`. */
  error?: unknown;
}

export interface ServerSentEventStreamOptions {
  /** Interval of `: keep-alive` comments, in milliseconds. */
  heartbeatMs: number;
  /** When the stream ends with a `reconnect` event, in milliseconds from now. */
  maxDurationMs: number;
  /** The `retry:` of the final `reconnect` event, in milliseconds. */
  retryMs: number;
  /** Called for each event written (the events counter). */
  onEvent?: () => void;
  /** Called once, when the stream is over, whichever way it ended. */
  onEnd: (summary: StreamSummary) => void;
}

/** The event type of the last event of a stream the server ends; clients reconnect after its `retry:`. */
export const RECONNECT_EVENT = 'reconnect';

/**
 * The body of a `text/event-stream` response: a Node `Readable` that Fastify
 * pipes to the client, so each event is written as it comes (nothing buffers
 * it) and a slow client holds back an async-iterable source (it is pulled
 * only when the response can take more).
 *
 * It writes a comment first (the response's headers go out with it), a
 * `: keep-alive` comment every `heartbeatMs`, each event of the source, and
 * when the server ends the stream (maximum duration, shutdown) a final
 * `reconnect` event with `retry:`. When it is destroyed (the client went
 * away) or ended early, the source is released: an iterator's `return()` is
 * called (its `finally` blocks run), an Observable is unsubscribed.
 */
export class ServerSentEventStream extends Readable {
  private producer?: AsyncIterator<ServerSentEvent>;
  private subscription?: Subscription;
  private pulling = false;
  private sourceDone = false;
  private end?: StreamEnd;
  private error?: unknown;
  private events = 0;
  private bytes = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    source: ServerSentEventSource,
    private readonly options: ServerSentEventStreamOptions,
  ) {
    super({ highWaterMark: 16 * 1024 });
    this.pushText(formatComment('stream open'));
    this.heartbeat = setInterval(() => this.pushText(formatComment('keep-alive')), options.heartbeatMs);
    this.deadline = setTimeout(() => this.close('max-duration'), options.maxDurationMs);
    if (isObservable(source)) this.subscribe(source);
    else this.producer = source[Symbol.asyncIterator]();
  }

  /** True once the stream has stopped writing events (it may still be flushing). */
  get ended(): boolean {
    return this.end !== undefined;
  }

  /**
   * Ends the stream from the server's side: a final `reconnect` event (with
   * `retry:` and the reason as JSON `data`), then the end of the body.
   */
  close(reason: 'max-duration' | 'shutdown'): void {
    if (this.end !== undefined) return;
    this.pushText(formatServerSentEvent({ event: RECONNECT_EVENT, data: { reason }, retry: this.options.retryMs }));
    this.finish(reason);
  }

  override _read(): void {
    if (this.producer === undefined || this.pulling || this.end !== undefined) return;
    this.pulling = true;
    this.producer.next().then(
      (result) => {
        this.pulling = false;
        if (this.end !== undefined) return;
        if (result.done === true) {
          this.sourceDone = true;
          this.finish('completed');
        } else this.writeEvent(result.value);
      },
      (error: unknown) => {
        this.pulling = false;
        this.sourceDone = true;
        this.fail(error);
      },
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.end ??= 'client-closed';
    this.release();
    this.options.onEnd({
      end: this.end,
      events: this.events,
      bytes: this.bytes,
      ...(this.error === undefined ? {} : { error: this.error }),
    });
    callback(error);
  }

  private subscribe(source: Observable<ServerSentEvent>): void {
    this.subscription = source.subscribe({
      next: (event) => {
        if (this.end === undefined) this.writeEvent(event);
      },
      error: (error: unknown) => {
        this.sourceDone = true;
        this.fail(error);
      },
      complete: () => {
        this.sourceDone = true;
        this.finish('completed');
      },
    });
  }

  private writeEvent(event: ServerSentEvent): void {
    let wire: Buffer;
    try {
      wire = wireFormOf(event);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.events += 1;
    this.pushBytes(wire);
    this.options.onEvent?.();
  }

  private pushText(text: string): void {
    this.pushBytes(Buffer.from(text));
  }

  // A hub's event comes with its bytes built once for all its streams (shareServerSentEvent): pushed as they are.
  private pushBytes(bytes: Buffer): void {
    if (this.end !== undefined || this.destroyed) return;
    this.bytes += bytes.length;
    this.push(bytes);
  }

  private fail(error: unknown): void {
    if (this.end !== undefined) return;
    this.error = error;
    this.finish('error');
  }

  /** Stops writing (timers, source) and ends the body once what was pushed is written. */
  private finish(end: StreamEnd): void {
    if (this.end !== undefined) return;
    this.end = end;
    this.release();
    this.push(null);
  }

  private release(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.deadline);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    const producer = this.producer;
    this.producer = undefined;
    // The producer's finally blocks run (at once when it waits at a yield).
    if (producer !== undefined && !this.sourceDone) void producer.return?.().catch(() => undefined);
  }
}
