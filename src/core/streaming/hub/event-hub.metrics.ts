import { Counter, Gauge, type Registry } from 'prom-client';

/** The hub's Prometheus series (no labels: one series each per process). */
export interface EventHubMetrics {
  published: Counter;
  publishFailures: Counter;
  subscribers: Gauge;
  resets: Counter;
}

/** Registers the hub's series on the app's own registry (`METRICS_REGISTRY`), or reuses them. */
export function createEventHubMetrics(registry: Registry): EventHubMetrics {
  const existing = <M>(name: string) => registry.getSingleMetric(name) as M | undefined;
  return {
    published:
      existing<Counter>('sse_hub_events_published_total') ??
      new Counter({
        name: 'sse_hub_events_published_total',
        help: 'Events published to the event hub by this process.',
        registers: [registry],
      }),
    publishFailures:
      existing<Counter>('sse_hub_publish_failures_total') ??
      new Counter({
        name: 'sse_hub_publish_failures_total',
        help: 'Publishes to the event hub that failed (Redis down, slow or its circuit open); the event was not delivered.',
        registers: [registry],
      }),
    subscribers:
      existing<Gauge>('sse_hub_subscribers') ??
      new Gauge({ name: 'sse_hub_subscribers', help: 'Subscriptions to the event hub open in this process.', registers: [registry] }),
    resets:
      existing<Counter>('sse_hub_replay_resets_total') ??
      new Counter({
        name: 'sse_hub_replay_resets_total',
        help: 'Reconnections whose Last-Event-ID was outside the replay window: the client was sent a reset event instead of a replay.',
        registers: [registry],
      }),
  };
}
