import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { cachedIsoTime } from './iso-time';
import { REDACTED, redactionPaths } from './redact';
import { logMixin, mergeMixin } from './log-mixin';
import { type LineSink, TurnBatchedDestination } from './turn-batched-destination';

/**
 * The app's one pino logger. Fastify uses it (`request.log` is a child bound
 * to the request's ids, built on first use: `DeferredRequestLogger`),
 * nestjs-pino logs through it, the access log is written with it.
 *
 * A line gets the request's ids one of two ways: from the request context,
 * by the `mixin` below (every line logged inside a request, feature code
 * included), or from its own fields where no request context is active:
 * `request.log`'s bindings (Fastify logs through it from stream callbacks)
 * and the lines the hooks write after the response (the access log) or
 * before the context exists (client errors, refused hosts).
 *
 * - JSON lines with RFC 3339 UTC timestamps in milliseconds (`time`) and the
 *   level as a word (`level: "info"`).
 * - Every line carries `trace_id`/`span_id` of the active OpenTelemetry span,
 *   and inside a request its `requestId`/`correlationId` (a pino `mixin`,
 *   `logMixin`), so feature logs join their request and trace without passing ids.
 * - Destination: `destination` when given (tests); pino-pretty in development;
 *   otherwise stdout through a synchronous SonicBoom (pino's default), fed by a
 *   {@link TurnBatchedDestination}: the lines of one event-loop turn go out in
 *   one `write(2)` at the end of that turn, and the `'exit'` listener and the
 *   shutdown sequence ({@link flushLogs}) write what is pending. Not the
 *   asynchronous SonicBoom (docs/performance.md): it appends each line to a
 *   pending string and measures its byte length, which copies the whole
 *   pending buffer on every line, and keeps lines in the heap for as long as
 *   a write is in flight.
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logging.level,
    base: { service: config.app.serviceName, version: config.app.version },
    timestamp: cachedIsoTime(),
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactionPaths(config.logging.redactPaths), censor: REDACTED },
    mixin: logMixin,
    mixinMergeStrategy: mergeMixin,
  };
  if (destination) return skipRedactionOfPrimitives(pino(options, destination));
  if (config.logging.format === 'pretty') {
    // pino-pretty is a development dependency: only this branch loads it.
    return skipRedactionOfPrimitives(
      pino({ ...options, transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }),
    );
  }
  // SonicBoom's types know only its utf8 content mode; in 'buffer' mode its write takes a Buffer.
  const sink = pino.destination({ dest: 1, sync: true, contentMode: 'buffer' }) as unknown as LineSink;
  return skipRedactionOfPrimitives(pino(options, new TurnBatchedDestination(sink)));
}

/**
 * Serializes primitive values without the redactor; objects still go through it.
 *
 * Why: with a redaction path that starts with a wildcard (`*.headers…`,
 * `*.password`), pino runs the wildcard redactor on every top-level value of
 * every line, strings and numbers included, and @pinojs/redact 0.4 re-parses
 * all its paths on each call, on every access-log line (see
 * docs/performance.md). A primitive has no property a path
 * could name, so the redactor can only return it serialized: the output is
 * byte-for-byte the same (root-logger.spec.ts). Child loggers inherit the
 * stringifiers from their parent, so they get this too.
 */
function skipRedactionOfPrimitives(logger: Logger): Logger {
  const stringifiers = (logger as unknown as Record<symbol, Record<symbol, ((value: unknown) => string) | undefined>>)[
    pino.symbols.stringifiersSym
  ];
  const redactWildcard = stringifiers?.[pino.symbols.wildcardFirstSym];
  if (redactWildcard === undefined) return logger;
  stringifiers[pino.symbols.wildcardFirstSym] = (value) =>
    typeof value === 'object' && value !== null ? redactWildcard(value) : JSON.stringify(value);
  return logger;
}

/**
 * Writes out every buffered line. Synchronous when the destination allows it
 * (SonicBoom's `flushSync`), so it is safe right before `process.exit`.
 */
export function flushLogs(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as { flushSync?: () => void } | undefined;
  try {
    if (typeof stream?.flushSync === 'function') stream.flushSync();
    else logger.flush();
  } catch {
    // Nothing buffered (SonicBoom throws if it is not ready yet): nothing to lose.
  }
}
