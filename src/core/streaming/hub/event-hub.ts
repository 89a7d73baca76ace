import type { ServerSentEvent } from '../server-sent-event';

/** Options of {@link EventHub.publish}. */
export interface PublishOptions {
  /**
   * With tenancy on, the tenant to publish in when no request is being
   * served (a job, an outbox relay). Inside a request the request's tenant
   * is used; naming another one throws `TenantScopeError`.
   */
  tenant?: string;
}

/** Options of {@link EventHub.subscribe}. */
export interface SubscribeOptions {
  /**
   * The client's `Last-Event-ID`: replay the events after it that are still
   * in the window. Untrusted: a malformed id gets a `reset`, never an error.
   */
  lastEventId?: string;
  /** Ends the subscription and releases its listeners when it aborts (the client went away). */
  signal: AbortSignal;
  /** See {@link PublishOptions.tenant}. */
  tenant?: string;
}

/** The `event:` type of the event a subscription starts with when its replay is incomplete. */
export const RESET_EVENT = 'reset';

/**
 * Live events by topic, with a replay window, for streaming routes
 * (docs/streaming.md#event-hub). Inject it (`constructor(private readonly
 * hub: EventHub)`); the chassis provides the Redis Streams hub when
 * `REDIS_URL` is set (every replica sees every event and can replay it) and
 * an in-process hub otherwise.
 *
 * Topics are the feature's own names (`items:<owner>`); with tenancy on
 * they are kept per tenant (the request's, or `tenant` outside a request).
 * Event ids are stream ids (`<milliseconds>-<sequence>`), increasing within
 * a topic.
 */
export abstract class EventHub {
  /**
   * Appends `event` to `topic`'s window and delivers it to every subscriber
   * of the topic (on every replica with Redis).
   * @returns the event's id.
   * @throws EventHubUnavailableError when Redis is down, slow (`SSE_HUB_REDIS_TIMEOUT_SECONDS`) or its circuit is open;
   *   the failure is also logged and counted (`sse_hub_publish_failures_total`).
   * @throws TenantScopeError with tenancy on and no tenant; TypeError for a malformed topic.
   */
  abstract publish(topic: string, event: Omit<ServerSentEvent, 'id'>, options?: PublishOptions): Promise<string>;

  /**
   * The events of `topic`: first, with `lastEventId`, the ones after it still
   * in the window (`SSE_REPLAY_WINDOW_SECONDS`, `SSE_REPLAY_MAX_EVENTS`), or
   * — when some after it have left the window, or the id is unknown — one
   * {@link RESET_EVENT} event (`data: { reason }`, with the newest id when
   * there is one) telling the client to reload its state; then live events,
   * each once, in order. Ends when `signal` aborts, when the subscriber falls
   * more than `SSE_REPLAY_MAX_EVENTS` behind, or when the hub loses Redis:
   * the client reconnects with its `Last-Event-ID` and replays.
   * @throws (on the first `next()`) EventHubUnavailableError when the replay cannot be read from Redis.
   * @throws (at once) TenantScopeError with tenancy on and no tenant; TypeError for a malformed topic.
   */
  abstract subscribe(topic: string, options: SubscribeOptions): AsyncIterable<ServerSentEvent>;
}
