import { Controller, Get, Injectable, Module, Query } from '@nestjs/common';
import { interval, map, type Observable, finalize } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStream, LastEventId, NotFoundError, Public, RequestSignal, type ServerSentEvent } from '../../src/core';
import { RequestTimeout } from '../../src/core';

/** What the test streams' producers did, for the assertions: which finished (finally ran) and whether their signal was aborted then. */
@Injectable()
export class StreamingProbe {
  readonly finished = new Map<string, { signalAborted: boolean }>();
  private readonly waiters = new Map<string, () => void>();

  record(tag: string, signal: AbortSignal): void {
    this.finished.set(tag, { signalAborted: signal.aborted });
    this.waiters.get(tag)?.();
  }

  /** Resolves once the producer tagged `tag` has run its finally block. */
  whenFinished(tag: string): Promise<{ signalAborted: boolean }> {
    const done = this.finished.get(tag);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(tag, () => resolve(this.finished.get(tag)!)));
  }
}

/** Stream routes for the streaming suites (test-only, never in src). */
@Controller('test/streaming')
export class StreamingTestController {
  constructor(private readonly probe: StreamingProbe) {}

  /** `count` events `intervalMs` apart (a multi-line one among them), then the end; `tag` names the producer in the probe. */
  @Get('events')
  @EventStream()
  async *events(
    @RequestSignal() signal: AbortSignal,
    @LastEventId() lastEventId: string | undefined,
    @Query('count') count = '3',
    @Query('intervalMs') intervalMs = '0',
    @Query('tag') tag = 'events',
  ): AsyncIterable<ServerSentEvent> {
    try {
      const first = lastEventId === undefined ? 1 : Number(lastEventId) + 1;
      for (let n = first; n < first + Number(count); n += 1) {
        if (Number(intervalMs) > 0) await sleep(Number(intervalMs), undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return;
        yield { id: String(n), event: 'tick', data: n === 2 ? 'line one\nline two' : { n } };
      }
    } finally {
      this.probe.record(tag, signal);
    }
  }

  /** One event, then nothing until the client goes away (or the stream is ended by the server). */
  @Get('idle')
  @EventStream()
  async *idle(@RequestSignal() signal: AbortSignal, @Query('tag') tag = 'idle'): AsyncIterable<ServerSentEvent> {
    try {
      yield { event: 'hello', data: 'hi' };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    } finally {
      this.probe.record(tag, signal);
    }
  }

  /** Ends by itself after 1 s: `maxDurationSeconds`. */
  @Get('short')
  @EventStream({ maxDurationSeconds: 1 })
  short(): Observable<ServerSentEvent> {
    return interval(200).pipe(map((n) => ({ id: String(n), data: { n } })));
  }

  /** An Observable source; `tag` is recorded when it is unsubscribed. */
  @Get('observable')
  @EventStream()
  observable(@RequestSignal() signal: AbortSignal, @Query('tag') tag = 'observable'): Observable<ServerSentEvent> {
    return interval(50).pipe(
      map((n) => ({ id: String(n), data: `tick ${n}` })),
      finalize(() => this.probe.record(tag, signal)),
    );
  }

  /** A large event, to show compression never applies. */
  @Get('large')
  @EventStream()
  async *large(): AsyncIterable<ServerSentEvent> {
    yield { event: 'big', data: 'x'.repeat(64 * 1024) };
  }

  /** Throws before returning its source: an ordinary problem+json. */
  @Get('missing')
  @EventStream()
  async missing(): Promise<AsyncIterable<ServerSentEvent>> {
    await Promise.resolve();
    throw new NotFoundError('stream source');
  }

  /** Yields an event id with a line break: the stream ends (it would forge fields). */
  @Get('forged')
  @EventStream()
  async *forged(): AsyncIterable<ServerSentEvent> {
    yield { id: '1', data: 'fine' };
    yield { id: '2\ndata: forged', data: 'never written' };
  }

  /** A public stream. */
  @Public()
  @Get('public')
  @EventStream()
  async *open(): AsyncIterable<ServerSentEvent> {
    yield { data: 'public' };
  }

  /** An ordinary route with its own timeout (3 s), longer than the suite's REQUEST_TIMEOUT_SECONDS. */
  @Get('slow')
  @RequestTimeout(3)
  async slow(@RequestSignal() signal: AbortSignal): Promise<{ done: boolean }> {
    await sleep(1500, undefined, { signal }).catch(() => undefined);
    return { done: true };
  }
}

/** Mounts {@link StreamingTestController} next to AppModule. */
@Module({ controllers: [StreamingTestController], providers: [StreamingProbe] })
export class StreamingTestModule {}
