import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, StreamableFile } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { finalize, from, map, type Observable, switchMap } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { markResponseStream } from '../context/response-stream';
import { ACCESS_LOG_MESSAGE, accessLogFields } from '../logging/access-log';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { HttpMetrics } from '../metrics/http-metrics';
import { routeTemplate } from '../routing/route-template';
import { EVENT_STREAM_OPTIONS, type EventStreamOptions } from './event-stream-route';
import { EventStreamResult } from './event-stream-result';
import { OpenEventStreams, type StreamPlace } from './open-event-streams';
import { ServerSentEventStream, type StreamSummary } from './server-sent-event-stream';
import { SseMetrics } from './sse.metrics';

const tracer = trace.getTracer('nest-chassis.streaming');

/** The response headers of every event stream (WHATWG HTML §9.2; `X-Accel-Buffering` tells nginx not to buffer). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/**
 * The interceptor behind `@EventStream()` (see there for the rules): after
 * the guards, it holds a place for the caller's stream (429 past the limit),
 * lets the handler return its source, and answers with a
 * {@link ServerSentEventStream} over it (handed to Fastify as a `StreamableFile`). When the stream is over it writes the
 * request's one access-log line (with how it ended, events and bytes), ends
 * the stream's span and gives the place back.
 */
@Injectable()
export class EventStreamInterceptor implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly reflector: Reflector,
    private readonly streams: OpenEventStreams,
    private readonly metrics: SseMetrics,
    private readonly httpMetrics: HttpMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const options = this.reflector.get<EventStreamOptions | undefined>(EVENT_STREAM_OPTIONS, context.getHandler()) ?? {};
    // The place is held before the handler runs (its source may open resources); the stream gives it
    // back when it ends, and it is given back here when no stream started (the handler failed, or the
    // chain was torn down first).
    return from(this.streams.reserve(callerOf(request))).pipe(
      switchMap((place) => {
        let started = false;
        return next.handle().pipe(
          map((result: unknown) => {
            if (!(result instanceof EventStreamResult)) throw new TypeError('@EventStream() handler result was not wrapped');
            const file = this.start(request, reply, result, options, place);
            started = true;
            return file;
          }),
          finalize(() => started || place.release()),
        );
      }),
    );
  }

  private start(
    request: FastifyRequest,
    reply: FastifyReply,
    result: EventStreamResult,
    options: EventStreamOptions,
    place: StreamPlace,
  ): StreamableFile {
    const source = result.eventSource();
    const route = routeTemplate(request);
    const { streaming } = this.config;
    const span = tracer.startSpan(`SSE ${route}`, { attributes: { 'http.route': route } });
    const labels = { route };
    const stream = new ServerSentEventStream(source, {
      heartbeatMs: streaming.heartbeatSeconds * 1000,
      maxDurationMs: (options.maxDurationSeconds ?? streaming.maxDurationSeconds) * 1000,
      retryMs: Math.round(streaming.retrySeconds * 1000),
      onEvent: () => this.metrics.eventsSent.inc(labels),
      onEnd: (summary) => {
        place.release();
        this.finished(request, reply, span, summary);
      },
    });
    void reply.headers(EVENT_STREAM_HEADERS);
    markResponseStream(request, reply.elapsedTime / 1000);
    this.httpMetrics.streamStarted(request);
    this.streams.track(stream, route, reply.raw);
    // As a StreamableFile Nest hands the stream to Fastify as it is. Returned bare, Nest 12 reads it
    // through an async iterator into a Readable of its own, and its request chain stays alive for
    // the stream's life: about two thirds of the heap a stream holds (docs/performance.md).
    return new StreamableFile(stream);
  }

  /** The stream's access-log line (instead of the access log's own) and the end of its span. */
  private finished(request: FastifyRequest, reply: FastifyReply, span: Span, summary: StreamSummary): void {
    const fields = {
      ...accessLogFields(request, reply, this.config.logging.queryValues),
      responseSizeBytes: summary.bytes,
      streamEnd: summary.end,
      eventsSent: summary.events,
    };
    if (summary.end === 'error') this.logger.error({ ...fields, err: summary.error }, 'Event stream source failed');
    this.logger.info(fields, ACCESS_LOG_MESSAGE);
    span.setAttributes({ 'sse.end': summary.end, 'sse.events_sent': summary.events, 'sse.bytes_sent': summary.bytes });
    if (summary.end === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: String(summary.error) });
    span.end();
  }
}

/** Whose streams a request's stream counts against: the principal (issuer, subject, tenant), or the client address on a public route. */
function callerOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined) return `address ${request.ip}`;
  return JSON.stringify([principal.issuer, principal.subject, principal.tenant ?? null]);
}
