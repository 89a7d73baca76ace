import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import type { ServerSentEventStream } from './server-sent-event-stream';
import { SseMetrics } from './sse.metrics';
import { tooManyStreamsProblem } from './too-many-streams.problem';

/** A place held for one stream of one caller; give it back once, when the stream is over (or never started). */
export interface StreamPlace {
  release(): void;
}

/**
 * The event streams this process has open: counted per caller
 * (SSE_MAX_STREAMS_PER_PRINCIPAL, per process), per route
 * (`sse_active_streams`), and ended with a `reconnect` event when the app
 * closes (after the shutdown delay, before the listener closes), so the
 * server's close is not held up by streams that would otherwise run to
 * their maximum duration.
 */
@Injectable()
export class OpenEventStreams implements OnModuleDestroy {
  private readonly perCaller = new Map<string, number>();
  private readonly streams = new Set<ServerSentEventStream>();
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: SseMetrics,
  ) {}

  /**
   * Holds a place for one more stream of `caller` (`iss`+`sub`, or the client address on a public route).
   * @throws ProblemException 429 (`too-many-streams`, `Retry-After`) past SSE_MAX_STREAMS_PER_PRINCIPAL.
   */
  reserve(caller: string): StreamPlace {
    const { maxStreamsPerPrincipal, heartbeatSeconds } = this.config.streaming;
    const open = this.perCaller.get(caller) ?? 0;
    if (open >= maxStreamsPerPrincipal) throw tooManyStreamsProblem(maxStreamsPerPrincipal, heartbeatSeconds);
    this.perCaller.set(caller, open + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.perCaller.get(caller) ?? 1) - 1;
        if (left > 0) this.perCaller.set(caller, left);
        else this.perCaller.delete(caller);
      },
    };
  }

  /** Tracks a started stream until it closes; one that starts while the app closes is ended at once. */
  track(stream: ServerSentEventStream, route: string, response: ServerResponse): void {
    this.streams.add(stream);
    this.metrics.active.inc({ route });
    stream.once('close', () => {
      this.streams.delete(stream);
      this.metrics.active.dec({ route });
    });
    // Headers went out before the drain's `Connection: close`: close the connection after the last event instead.
    stream.once('end', () => {
      // Node detaches the socket from the response on 'finish': hold it now.
      const socket = response.socket;
      if (this.closing && socket) response.once('finish', () => socket.end());
    });
    if (this.closing) stream.close('shutdown');
  }

  /** How many streams are open now. */
  get size(): number {
    return this.streams.size;
  }

  /** Nest calls it first when the app closes: every open stream gets its `reconnect` event and ends. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const stream of this.streams) stream.close('shutdown');
  }
}
