import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';

/** The Server-Sent Events metrics, on the app's own registry; `route` is the route template (bounded). */
@Injectable()
export class SseMetrics {
  readonly active: Gauge<'route'>;
  readonly eventsSent: Counter<'route'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.active = new Gauge({
      name: 'sse_active_streams',
      help: 'Server-Sent Events streams open now, by route.',
      labelNames: ['route'],
      registers: [registry],
    });
    this.eventsSent = new Counter({
      name: 'sse_events_sent_total',
      help: 'Server-Sent Events written to clients (heartbeats not counted), by route.',
      labelNames: ['route'],
      registers: [registry],
    });
  }
}
