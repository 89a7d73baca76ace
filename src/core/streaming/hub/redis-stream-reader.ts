import { once } from 'node:events';
import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { failureMessage } from '../../errors/failure-warning';
import { shareServerSentEvent } from '../shared-server-sent-event';
import { compareStreamIds } from './stream-id';
import { fromStreamEntry, type RawStreamEntry } from './stream-entry';
import type { SubscriberQueue } from './subscriber-queue';

/** A topic this process follows: where its reading is, and who gets its events. */
interface FollowedTopic {
  /** The id after which the next XREAD reads; undefined until the topic's position is known. */
  cursor: string | undefined;
  readonly subscribers: Set<SubscriberQueue>;
  ready: Promise<void>;
}

/** The reader's connection, and its id for `CLIENT UNBLOCK` (set once it answered `CLIENT ID`). */
interface ReaderConnection {
  readonly redis: Redis;
  clientId: number | undefined;
}

/** How long one XREAD blocks, in milliseconds: a topic added in the very instant a read starts waits at most this long. */
const BLOCK_MS = 2000;
/** Entries read per topic per XREAD. */
const READ_COUNT = 1000;
/** Pause before reading again after Redis failed, in milliseconds (cut short when a subscriber arrives). */
const RETRY_MS = 1000;

/**
 * The one blocking XREAD loop of the process, on a dedicated connection
 * (a blocked connection cannot serve anything else), reading every followed
 * topic's stream and fanning each entry out to the local subscribers. A topic
 * is followed from its position when its first local subscriber arrived;
 * when a new topic is added during a blocked read, `CLIENT UNBLOCK` (on the
 * shared connection) makes the read start again with it.
 *
 * When the read fails (Redis down), every subscription ends: clients
 * reconnect with their `Last-Event-ID` and replay from the window, on this
 * replica once Redis is back or on another. The dedicated connection never
 * reconnects on its own: it is opened again by the next subscriber, at once,
 * so a client reconnecting after Redis came back is not refused while the
 * connection sits in a reconnect back-off nobody is waiting for.
 */
export class RedisStreamReader {
  private readonly topics = new Map<string, FollowedTopic>();
  private connection: ReaderConnection | undefined;
  private wake: (() => void) | undefined;
  private looping = false;
  private reading = false;
  private closed = false;

  constructor(
    private readonly shared: Redis,
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Follows `key` for `queue` and resolves once the topic's read position is
   * fixed: a replay read taken after this covers everything up to where the
   * live events start. Does nothing if `queue` ended meanwhile.
   * @throws the connection's or Redis's error (the caller maps it).
   */
  async follow(key: string, queue: SubscriberQueue): Promise<void> {
    await this.connect();
    let topic = this.topics.get(key);
    if (!topic) {
      const created: FollowedTopic = { cursor: undefined, subscribers: new Set(), ready: Promise.resolve() };
      created.ready = this.position(key, created);
      this.topics.set(key, created);
      topic = created;
    }
    await topic.ready;
    if (queue.isEnded || this.closed) return;
    // Dropped (its last subscriber left, or Redis failed) while this one waited: follow it afresh.
    if (this.topics.get(key) !== topic) return this.follow(key, queue);
    topic.subscribers.add(queue);
    this.startLoop();
    if (topic.subscribers.size === 1) this.interruptRead();
  }

  /** Stops following `key` for `queue`; the topic is dropped with its last subscriber. */
  unfollow(key: string, queue: SubscriberQueue): void {
    const topic = this.topics.get(key);
    if (!topic?.subscribers.delete(queue)) return;
    if (topic.subscribers.size === 0 && topic.cursor !== undefined) this.topics.delete(key);
  }

  /** Ends every subscription and closes the dedicated connection (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll();
    this.wake?.();
    this.connection?.redis.disconnect();
  }

  /** The topic's current last id (`0-0` for a stream not created yet): live reading starts after it. */
  private async position(key: string, topic: FollowedTopic): Promise<void> {
    try {
      const last = await this.shared.xrevrange(key, '+', '-', 'COUNT', 1);
      topic.cursor = (last as RawStreamEntry[])[0]?.[0] ?? '0-0';
    } catch (error) {
      if (this.topics.get(key) === topic) this.topics.delete(key);
      throw error;
    }
  }

  /** The dedicated connection, opened on first use and after it ended; resolves once it is ready (bounded by the hub's Redis timeout). */
  private async connect(): Promise<ReaderConnection> {
    if (!this.connection || this.connection.redis.status === 'end') this.connection = this.openConnection();
    const { redis } = this.connection;
    if (redis.status !== 'ready') await waitReady(redis, this.timeoutMs);
    return this.connection;
  }

  /** Drops the dedicated connection after a failed read: the next subscriber opens a fresh one. */
  private dropConnection(): void {
    this.connection?.redis.disconnect();
    this.connection = undefined;
  }

  private openConnection(): ReaderConnection {
    // Its own connection (same URL and settings): a blocked XREAD holds the connection it is sent on.
    // No reconnect of its own (retryStrategy null): a lost connection ends, and connect() opens the next.
    const redis = this.shared.duplicate({ connectionName: 'event-hub-reader', retryStrategy: () => null });
    const connection: ReaderConnection = { redis, clientId: undefined };
    // Connection errors are reported by the shared client's outage log and surface here as failed reads.
    redis.on('error', () => undefined);
    redis.on('ready', () => {
      connection.clientId = undefined;
      // Sent before any read on this connection, so it answers before a read blocks.
      redis.client('ID').then(
        (id) => (connection.clientId = Number(id)),
        () => undefined,
      );
    });
    return connection;
  }

  /** A topic's position is known: start the read again so it includes the topic. */
  private interruptRead(): void {
    this.wake?.();
    const id = this.connection?.clientId;
    if (this.reading && id !== undefined) this.shared.client('UNBLOCK', id, 'TIMEOUT').catch(() => undefined);
  }

  private startLoop(): void {
    if (this.looping || this.closed) return;
    this.looping = true;
    void this.loop().finally(() => (this.looping = false));
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      this.dropUnsubscribed();
      const followed = [...this.topics].filter(([, topic]) => topic.cursor !== undefined);
      if (followed.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        const { redis } = await this.connect();
        this.reading = true;
        const reply = (await redis.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...followed.map(([key]) => key),
          ...followed.map(([, topic]) => topic.cursor!),
        )) as [string, RawStreamEntry[]][] | null;
        this.reading = false;
        for (const [key, entries] of reply ?? []) this.deliver(key, entries);
      } catch (error) {
        this.reading = false;
        if (this.closed) return;
        this.logger.warn(
          { cause: failureMessage(error), subscriptions: this.countSubscribers() },
          'Event hub lost Redis: ending the subscriptions of this process (clients reconnect and replay)',
        );
        this.endAll();
        this.dropConnection();
        // A new subscriber (its follow reached Redis) wakes the loop early.
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, RETRY_MS).unref();
        });
        this.wake = undefined;
      }
    }
  }

  private deliver(key: string, entries: RawStreamEntry[]): void {
    const topic = this.topics.get(key);
    if (!topic) return;
    for (const entry of entries) {
      if (topic.cursor === undefined || compareStreamIds(entry[0], topic.cursor) > 0) topic.cursor = entry[0];
      const parsed = fromStreamEntry(entry);
      // One object for every local subscriber: formatted once.
      const event = parsed && shareServerSentEvent(parsed);
      if (event) for (const subscriber of topic.subscribers) subscriber.push(event);
    }
  }

  /** Topics whose position is known and that no subscriber joined (every joiner gave up meanwhile). */
  private dropUnsubscribed(): void {
    for (const [key, topic] of this.topics) if (topic.cursor !== undefined && topic.subscribers.size === 0) this.topics.delete(key);
  }

  private endAll(): void {
    for (const topic of this.topics.values()) for (const subscriber of topic.subscribers) subscriber.end();
    this.topics.clear();
  }

  private countSubscribers(): number {
    let count = 0;
    for (const topic of this.topics.values()) count += topic.subscribers.size;
    return count;
  }
}

/** Resolves when `redis` is ready; rejects after `timeoutMs` milliseconds or when it ends first. */
export async function waitReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  const signal = AbortSignal.timeout(timeoutMs);
  await Promise.race([
    once(redis, 'ready', { signal }),
    once(redis, 'end', { signal }).then(() => {
      throw new Error('the event hub reader connection ended');
    }),
  ]).catch((error: unknown) => {
    throw signal.aborted ? new Error(`the event hub reader connection was not ready within ${timeoutMs} ms`) : error;
  });
}
