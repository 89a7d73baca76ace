import type { ServerSentEvent } from '../server-sent-event';

/**
 * The live events waiting for one subscriber, bounded: a subscriber that
 * falls more than `capacity` events behind is ended (it reconnects with its
 * `Last-Event-ID` and replays) rather than holding memory without limit.
 * Ends when the subscriber's signal aborts, when {@link end} is called (the
 * hub lost its source), or on overflow.
 */
export class SubscriberQueue {
  private readonly events: ServerSentEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly capacity: number,
    signal: AbortSignal,
  ) {
    if (signal.aborted) this.ended = true;
    else
      signal.addEventListener(
        'abort',
        () => {
          // The consumer is gone: what is queued will never be read.
          this.events.length = 0;
          this.end();
        },
        { once: true },
      );
  }

  /** Queues one live event; an overflow ends the queue instead. */
  push(event: ServerSentEvent): void {
    if (this.ended) return;
    if (this.events.length >= this.capacity) return this.end();
    this.events.push(event);
    this.notify();
  }

  /** No more events: the consumer sees the end once it has read what is already queued. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The queued events in order; returns when the queue ends. */
  async *drain(): AsyncGenerator<ServerSentEvent> {
    for (;;) {
      const next = this.events.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
