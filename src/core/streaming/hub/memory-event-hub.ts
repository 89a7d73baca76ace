import type { ServerSentEvent } from '../server-sent-event';
import { EventHub, type PublishOptions, type SubscribeOptions } from './event-hub';
import type { EventHubMetrics } from './event-hub.metrics';
import { type ReplayBounds, ReplayBuffer } from './replay-buffer';
import { planReplay } from './replay-plan';
import { resetEvent } from './reset-event';
import { compareStreamIds } from './stream-id';
import { once } from './once';
import { SubscriberQueue } from './subscriber-queue';
import { topicKey } from './topic-key';

/** One topic in this process: its window and its local subscribers. */
interface MemoryTopic {
  readonly buffer: ReplayBuffer;
  readonly subscribers: Set<SubscriberQueue>;
  lastUsedMs: number;
}

/** A topic with no subscriber and no event in the window is forgotten this long after its last use (its newest id with it). */
const IDLE_TOPIC_SECONDS = 24 * 3600;

/**
 * The zero-infrastructure hub: one process, topics in memory. Replays
 * exactly the window (`SSE_REPLAY_WINDOW_SECONDS`, `SSE_REPLAY_MAX_EVENTS`);
 * a restart forgets every topic, so a client reconnecting afterwards gets
 * a `reset`. Other replicas never see these events: set `REDIS_URL` to run
 * more than one.
 */
export class MemoryEventHub extends EventHub {
  private readonly topics = new Map<string, MemoryTopic>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly bounds: ReplayBounds,
    private readonly tenancyEnabled: boolean,
    private readonly metrics: EventHubMetrics,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  // async so a bad topic rejects, as with Redis, rather than throws.
  async publish(topic: string, event: Omit<ServerSentEvent, 'id'>, options: PublishOptions = {}): Promise<string> {
    const state = this.topic(topicKey(topic, this.tenancyEnabled, options.tenant));
    const stored = state.buffer.append(event, this.now());
    for (const subscriber of state.subscribers) subscriber.push(stored);
    this.metrics.published.inc();
    return stored.id;
  }

  subscribe(topic: string, options: SubscribeOptions): AsyncIterable<ServerSentEvent> {
    const key = topicKey(topic, this.tenancyEnabled, options.tenant);
    return this.stream(key, options);
  }

  /** Stops the sweeper and ends every subscription (shutdown). */
  close(): void {
    clearInterval(this.sweeper);
    for (const state of this.topics.values()) for (const subscriber of state.subscribers) subscriber.end();
  }

  private async *stream(key: string, { lastEventId, signal }: SubscribeOptions): AsyncGenerator<ServerSentEvent> {
    const state = this.topic(key);
    const queue = new SubscriberQueue(this.bounds.maxEvents, signal);
    state.subscribers.add(queue);
    this.metrics.subscribers.inc();
    // Released on abort even while the consumer is not reading (suspended at a yield), and at the end.
    const release = once(() => {
      queue.end();
      state.subscribers.delete(queue);
      this.metrics.subscribers.dec();
      state.lastUsedMs = this.now();
    });
    signal.addEventListener('abort', release, { once: true });
    try {
      const nowMs = this.now();
      const plan = planReplay(lastEventId, state.buffer.window(nowMs));
      let replayedUpTo = plan === 'live' ? undefined : state.buffer.lastId;
      if (plan === 'reset') {
        this.metrics.resets.inc();
        yield resetEvent(state.buffer.lastId);
      } else if (plan === 'replay') {
        // Taken in the same tick as the subscription: no live event can fall in between.
        yield* state.buffer.after(lastEventId!, nowMs);
      }
      for await (const event of queue.drain()) {
        // Live events the replay already sent are skipped. The queue is in publish order, so once
        // one is newer than the replay every later one is: ids are compared only until then.
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

  private topic(key: string): MemoryTopic {
    let state = this.topics.get(key);
    if (!state) {
      state = { buffer: new ReplayBuffer(this.bounds), subscribers: new Set(), lastUsedMs: this.now() };
      this.topics.set(key, state);
    }
    state.lastUsedMs = this.now();
    return state;
  }

  /** Forgets idle topics, so per-owner topics do not accumulate for ever. */
  private sweep(): void {
    const nowMs = this.now();
    for (const [key, state] of this.topics) {
      const idle = nowMs - state.lastUsedMs > (this.bounds.windowSeconds + IDLE_TOPIC_SECONDS) * 1000;
      if (state.subscribers.size === 0 && idle && state.buffer.isEmpty(nowMs)) this.topics.delete(key);
    }
  }
}
