import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ServerResponse } from 'node:http';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { OutageState } from '../errors/outage-state';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { LEASE_HEARTBEATS, RedisStreamPlaces } from './redis-stream-places';
import type { ServerSentEventStream } from './server-sent-event-stream';
import { SseMetrics } from './sse.metrics';
import { tooManyStreamsProblem } from './too-many-streams.problem';

/** A place held for one stream of one caller; give it back once, when the stream is over (or never started). */
export interface StreamPlace {
  release(): void;
}

/**
 * The event streams this process has open: counted per caller
 * (SSE_MAX_STREAMS_PER_PRINCIPAL: across every replica with `REDIS_URL`, see
 * {@link RedisStreamPlaces}; per process without), per route
 * (`sse_active_streams`), and ended with a `reconnect` event when the app
 * closes (after the shutdown delay, before the listener closes), so the
 * server's close is not held up by streams that would otherwise run to
 * their maximum duration.
 */
@Injectable()
export class OpenEventStreams implements OnModuleDestroy {
  private readonly perCaller = new Map<string, number>();
  private readonly streams = new Set<ServerSentEventStream>();
  private readonly shared?: RedisStreamPlaces;
  private readonly logger = new Logger('EventStreams');
  private readonly sharedOutage = new OutageState(
    (error) =>
      this.logger.warn({ err: error }, 'Streams per caller counted in this process only: Redis failed (logged once until it answers)'),
    () => this.logger.log('Streams per caller counted across replicas again'),
  );
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: SseMetrics,
    @Inject(REDIS_CLIENT) redis: Redis | null,
    breakers: DependencyBreakers,
  ) {
    if (redis === null) return;
    this.shared = new RedisStreamPlaces(redis, breakers.for('redis'), {
      keyPrefix: config.streaming.placesKeyPrefix,
      leaseMs: config.streaming.heartbeatSeconds * 1000 * LEASE_HEARTBEATS,
      timeoutMs: config.eventHub.redisTimeoutSeconds * 1000,
    });
  }

  /**
   * Holds a place for one more stream of `caller` (`iss`+`sub`+tenant, or the client address on a public route):
   * in this process, and with `REDIS_URL` across every replica. When Redis fails (unreachable, slower than
   * SSE_HUB_REDIS_TIMEOUT_SECONDS, circuit open) this process's count alone decides, logged once per outage.
   * @throws ProblemException 429 (`too-many-streams`, `Retry-After`) past SSE_MAX_STREAMS_PER_PRINCIPAL.
   */
  async reserve(caller: string): Promise<StreamPlace> {
    const local = this.reserveHere(caller);
    if (this.shared === undefined) return local;
    const { maxStreamsPerPrincipal, heartbeatSeconds } = this.config.streaming;
    let releaseShared: (() => void) | undefined;
    try {
      releaseShared = await this.shared.reserve(caller, maxStreamsPerPrincipal);
      this.sharedOutage.up();
    } catch (error) {
      this.sharedOutage.down(error);
      return local;
    }
    if (releaseShared === undefined) {
      local.release();
      throw tooManyStreamsProblem(maxStreamsPerPrincipal, heartbeatSeconds);
    }
    return {
      release: () => {
        local.release();
        releaseShared();
      },
    };
  }

  /** The place in this process's own count. @throws ProblemException 429 past the limit. */
  private reserveHere(caller: string): StreamPlace {
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
    this.shared?.close();
    for (const stream of this.streams) stream.close('shutdown');
  }
}
