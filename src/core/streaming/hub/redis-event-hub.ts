import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { withTimeout } from '../../async/with-timeout';
import type { DependencyBreaker } from '../../circuit-breaker/dependency-breaker';
import { FailureWarning, failureMessage } from '../../errors/failure-warning';
import type { ServerSentEvent } from '../server-sent-event';
import { EventHub, type PublishOptions, type SubscribeOptions } from './event-hub';
import { EventHubUnavailableError } from './event-hub-unavailable.error';
import type { EventHubMetrics } from './event-hub.metrics';
import type { ReplayBounds } from './replay-buffer';
import { planReplay, type TopicWindow } from './replay-plan';
import { RedisStreamReader, waitReady } from './redis-stream-reader';
import { once } from './once';
import { resetEvent } from './reset-event';
import { compareStreamIds } from './stream-id';
import { fromStreamEntry, type RawStreamEntry, toStreamFields } from './stream-entry';
import { SubscriberQueue } from './subscriber-queue';
import { topicKey } from './topic-key';

/** What the Redis hub needs besides the shared client. */
export interface RedisEventHubOptions extends ReplayBounds {
  keyPrefix: string;
  tenancyEnabled: boolean;
  /** Bound on one publish or replay read, in milliseconds. */
  timeoutMs: number;
}

/** A stream with no publish for this long past the window is deleted (its newest id with it), in seconds. */
const IDLE_STREAM_SECONDS = 24 * 3600;

/**
 * The hub on Redis Streams: one stream per topic (`<SSE_HUB_KEY_PREFIX><topic key>`);
 * a publish is one `XADD` (ids minted by Redis, so every replica agrees)
 * trimmed to `SSE_REPLAY_MAX_EVENTS` and to the window by `MAXLEN ~` and
 * `MINID ~` (whole stream nodes, so slightly more may stay), with an expiry
 * refreshed on each publish. Live delivery is the {@link RedisStreamReader}'s
 * one XREAD loop per process; a replay is an `XRANGE` on the shared client,
 * from any replica. Publishes and replay reads go through the Redis circuit
 * breaker with a bound (`SSE_HUB_REDIS_TIMEOUT_SECONDS`).
 */
export class RedisEventHub extends EventHub {
  private readonly reader: RedisStreamReader;
  private readonly publishWarning = new FailureWarning();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisEventHubOptions,
    private readonly breaker: DependencyBreaker,
    private readonly metrics: EventHubMetrics,
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
  ) {
    super();
    this.reader = new RedisStreamReader(redis, logger, options.timeoutMs);
  }

  async publish(topic: string, event: Omit<ServerSentEvent, 'id'>, publishOptions: PublishOptions = {}): Promise<string> {
    const key = this.options.keyPrefix + topicKey(topic, this.options.tenancyEnabled, publishOptions.tenant);
    try {
      const id = await this.guarded(() => this.append(key, event));
      this.metrics.published.inc();
      return id;
    } catch (error) {
      this.metrics.publishFailures.inc();
      const failures = this.publishWarning.record();
      if (failures !== undefined) {
        this.logger.warn(
          { cause: failureMessage((error as { cause?: unknown }).cause ?? error), failures },
          'Event hub publish failed: the event was not delivered',
        );
      }
      throw error;
    }
  }

  subscribe(topic: string, options: SubscribeOptions): AsyncIterable<ServerSentEvent> {
    const key = this.options.keyPrefix + topicKey(topic, this.options.tenancyEnabled, options.tenant);
    return this.stream(key, options);
  }

  /** Ends every subscription and closes the reader's connection (shutdown). */
  close(): Promise<void> {
    return this.reader.close();
  }

  private async *stream(key: string, { lastEventId, signal }: SubscribeOptions): AsyncGenerator<ServerSentEvent> {
    const queue = new SubscriberQueue(this.options.maxEvents, signal);
    this.metrics.subscribers.inc();
    // Released on abort even while the consumer is not reading (suspended at a yield), and at the end.
    const release = once(() => {
      queue.end();
      this.reader.unfollow(key, queue);
      this.metrics.subscribers.dec();
    });
    signal.addEventListener('abort', release, { once: true });
    try {
      await this.guarded(() => this.reader.follow(key, queue));
      let replayedUpTo: string | undefined;
      if (lastEventId !== undefined) {
        const start = await this.replay(key, lastEventId);
        for (const event of start) yield event;
        replayedUpTo = start.at(-1)?.id ?? lastEventId;
      }
      for await (const event of queue.drain()) {
        // Live events the replay already sent are skipped. The reader queues entries in stream
        // order, so once one is newer than the replay every later one is: ids are compared only until then.
        if (replayedUpTo !== undefined) {
          if (compareStreamIds(event.id!, replayedUpTo) <= 0) continue;
          replayedUpTo = undefined;
        }
        yield event;
      }
    } finally {
      signal.removeEventListener('abort', release);
      release();
    }
  }

  /** The events after `lastEventId`, or one reset event when some of them have left the window. */
  private async replay(key: string, lastEventId: string): Promise<ServerSentEvent[]> {
    const window = await this.guarded(() => this.window(key));
    if (planReplay(lastEventId, window) === 'replay') {
      const entries = await this.guarded(() => this.redis.xrange(key, `(${lastEventId}`, '+', 'COUNT', this.options.maxEvents + 1));
      if (entries.length <= this.options.maxEvents) {
        return (entries as RawStreamEntry[]).map(fromStreamEntry).filter((event) => event !== undefined);
      }
    }
    this.metrics.resets.inc();
    return [resetEvent(window.newestId)];
  }

  /** The topic's window from `XINFO STREAM`: its oldest entry, newest id, and whether entries were trimmed. */
  private async window(key: string): Promise<TopicWindow> {
    let reply: unknown[];
    try {
      reply = (await this.redis.xinfo('STREAM', key)) as unknown[];
    } catch (error) {
      if (/no such key/i.test(failureMessage(error))) return { known: false, trimmed: false };
      throw error;
    }
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < reply.length; i += 2) info.set(String(reply[i]), reply[i + 1]);
    const length = Number(info.get('length'));
    const added = info.get('entries-added');
    const first = info.get('first-entry') as RawStreamEntry | null | undefined;
    return {
      known: true,
      oldestId: first?.[0],
      newestId: info.get('last-generated-id') as string | undefined,
      // Redis before 7.0 does not count added entries: assume some were trimmed.
      trimmed: added === undefined || Number(added) > length,
    };
  }

  private async append(key: string, event: Omit<ServerSentEvent, 'id'>): Promise<string> {
    const { maxEvents, windowSeconds } = this.options;
    const minId = `${Math.max(0, Date.now() - windowSeconds * 1000)}-0`;
    const results = await this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', maxEvents, '*', ...toStreamFields(event))
      .xtrim(key, 'MINID', '~', minId)
      .expire(key, windowSeconds + IDLE_STREAM_SECONDS)
      .exec();
    const [error, id] = results?.[0] ?? [new Error('the XADD transaction was discarded'), undefined];
    if (error) throw error;
    return id as string;
  }

  /** Runs one Redis call under the circuit breaker and the hub's bound; any failure becomes EventHubUnavailableError. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    // Commands fail at once while the shared client connects (no offline queue): wait for it, within the bound.
    const whenReady = () => (this.redis.status === 'ready' ? call() : waitReady(this.redis, this.options.timeoutMs).then(call));
    try {
      return await this.breaker.execute(() => withTimeout(whenReady(), this.options.timeoutMs));
    } catch (error) {
      throw error instanceof EventHubUnavailableError ? error : new EventHubUnavailableError(error);
    }
  }
}
