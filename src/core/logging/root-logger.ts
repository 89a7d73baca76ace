import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { REDACTED, redactionPaths } from './redact';
import { traceFields } from './trace-context';

/**
 * The app's one pino logger. Fastify uses it (each request gets a child bound
 * to its `requestId`), nestjs-pino logs through it, the access log is written
 * with it.
 *
 * - JSON lines with RFC 3339 UTC timestamps in milliseconds (`time`) and the
 *   level as a word (`level: "info"`).
 * - Every line carries `trace_id`/`span_id` of the active OpenTelemetry span
 *   (a pino `mixin`), so feature logs join their trace without passing ids.
 * - Destination: `destination` when given (tests); pino-pretty in development;
 *   otherwise stdout through an asynchronous SonicBoom. Asynchronous writes keep
 *   logging off the request path but buffer lines in memory, so the shutdown
 *   sequence calls {@link flushLogs} before exit (see docs/shutdown.md).
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logging.level,
    base: { service: config.app.serviceName, version: config.app.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactionPaths(config.logging.redactPaths), censor: REDACTED },
    mixin: () => traceFields(),
  };
  if (destination) return pino(options, destination);
  if (config.logging.format === 'pretty') {
    // pino-pretty is a development dependency: only this branch loads it.
    return pino({ ...options, transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
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
