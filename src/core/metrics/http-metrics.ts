import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest, onRequestAbortHookHandler, onRequestHookHandler, onResponseHookHandler } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { responseStreamStart } from '../context/response-stream';
import { routeTemplate } from '../routing/route-template';
import { METRICS_REGISTRY } from './metrics.tokens';

/** Methods kept as label values; anything else is counted as `OTHER` (bounded cardinality). */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Histogram buckets in seconds: Prometheus' defaults, which cover 5 ms to 10 s. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const counted = Symbol('activeRequestCounted');
type Counted = FastifyRequest & { [counted]?: boolean };

/**
 * The HTTP server metrics, named after the OpenTelemetry HTTP semantic
 * conventions in Prometheus form (`http.server.request.duration` →
 * `http_server_request_duration_seconds`, base unit seconds):
 *
 * - `http_server_request_duration_seconds{method, route, status_code}`: a
 *   histogram; `route` is the template (`/items/:id`), or `UNMATCHED`.
 * - `http_server_active_requests{method}`: requests being served now. An
 *   event stream counts until its headers go out; from then on it is an open
 *   stream (`sse_active_streams`), not a request being served.
 */
@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  readonly active: Gauge<'method'>;
  /**
   * Label objects, built once per label combination and reused: the hooks run
   * on every request, and the combinations are few (bounded methods, route
   * templates and status codes), so no label object is allocated per request.
   */
  private readonly durationLabels = new Map<string, Record<'method' | 'route' | 'status_code', string>>();
  /**
   * Requests being served, per `method` label. Counted in a plain map and
   * copied into the gauge when Prometheus scrapes (prom-client's `collect`
   * hook): two gauge updates per request would hash their labels each time.
   */
  private readonly activeByMethod = new Map<string, number>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests, from the first byte read to the last byte written.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    });
    const activeByMethod = this.activeByMethod;
    this.active = new Gauge({
      name: 'http_server_active_requests',
      help: 'Number of HTTP server requests being served.',
      labelNames: ['method'],
      registers: [registry],
      collect() {
        for (const [method, count] of activeByMethod) this.set({ method }, count);
      },
    });
  }

  /**
   * The hooks that record every request, from Fastify's outermost hooks: `onRequest` runs
   * before routing, body parsing, guards and handlers, and `onResponse` after
   * the last byte, so 401, 404, 413, 429 and 500 answers are counted like the
   * rest. An event stream (`@EventStream()`) is counted with the time to its
   * first byte, not its lifetime (docs/streaming.md). The duration is Fastify's `reply.elapsedTime`, measured from the
   * moment the request arrived, so it is right even when an earlier
   * `onRequest` hook answered before this one ran.
   */
  hooks(): { onRequest: onRequestHookHandler; onResponse: onResponseHookHandler; onRequestAbort: onRequestAbortHookHandler } {
    const finish = (request: FastifyRequest) => this.endActive(request);
    return {
      onRequest: (request, _reply, done) => {
        this.countActive(request.method, 1);
        (request as Counted)[counted] = true;
        done();
      },
      onResponse: (request, reply, done) => {
        finish(request);
        // A stream's lifetime is not latency: it is counted with the time to its first byte.
        const seconds = responseStreamStart(request) ?? reply.elapsedTime / 1000;
        this.duration.observe(this.durationLabelsOf(request.method, routeTemplate(request), reply.statusCode), seconds);
        done();
      },
      // A client that hangs up before the answer gets no onResponse: keep the gauge right.
      onRequestAbort: (request, done) => {
        finish(request);
        // Closing the connection is how a client ends a stream: it was answered (200) all the same.
        const streamStart = responseStreamStart(request);
        if (streamStart !== undefined)
          this.duration.observe(this.durationLabelsOf(request.method, routeTemplate(request), 200), streamStart);
        done();
      },
    };
  }

  /**
   * Counts one answered request in the duration histogram. For answers given
   * outside Fastify's hooks (client errors, `src/core/server/client-error.responder.ts`).
   *
   * @param seconds the duration (0 when no request was parsed, so none is known).
   */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.duration.observe(this.durationLabelsOf(method, route, statusCode), seconds);
  }

  /**
   * An event stream's headers went out (the event-stream interceptor): from now on it is an
   * open stream (`sse_active_streams`), no longer a request being served.
   */
  streamStarted(request: FastifyRequest): void {
    this.endActive(request);
  }

  /** Takes a request out of `http_server_active_requests`, once, however many ends it sees. */
  private endActive(request: FastifyRequest): void {
    if (!(request as Counted)[counted]) return;
    (request as Counted)[counted] = false;
    this.countActive(request.method, -1);
  }

  private countActive(method: string, delta: 1 | -1): void {
    const label = methodLabel(method);
    this.activeByMethod.set(label, (this.activeByMethod.get(label) ?? 0) + delta);
  }

  private durationLabelsOf(method: string, route: string, statusCode: number): Record<'method' | 'route' | 'status_code', string> {
    const key = `${method} ${statusCode} ${route}`;
    let labels = this.durationLabels.get(key);
    if (labels === undefined) {
      labels = { method: methodLabel(method), route, status_code: String(statusCode) };
      if (KNOWN_METHODS.has(method)) this.durationLabels.set(key, labels);
    }
    return labels;
  }
}

function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'OTHER';
}
