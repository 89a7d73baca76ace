import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';
import { markRequestBound } from './request-bound';
import { correlationIdOf } from '../context/correlation-id';

/**
 * Fastify's per-request logger (`request.log`, `reply.log`), bound to the
 * request's `requestId` and `correlationId`, created on first use.
 *
 * Why deferred: Fastify asks for a child logger for every request, and a pino
 * child costs a serialization of its bindings and a new object with its own
 * level functions — a few microseconds and about a kilobyte per request. On
 * the happy path nothing logs through `request.log` (the access log is written
 * with explicit ids, feature logs go through nestjs-pino and the root logger's
 * mixin), so the child is only built when something does log through it: an
 * error logged by Fastify, a timeout, a client that went away.
 *
 * It has the methods Fastify checks (`validateLogger`) and uses, on its
 * prototype (nothing is allocated per request but the instance); every call
 * goes to the real pino child, so the lines are exactly those of
 * `parent.child(bindings, options)`.
 */
export class DeferredRequestLogger {
  private logger: Logger | undefined;

  /**
   * @param parent the root logger
   * @param bindings Fastify's bindings: `{ requestId }` (its `requestIdLogLabel`)
   * @param options Fastify's child options (a route's `logLevel`)
   * @param rawRequest the request, to resolve the correlation id from
   */
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
    private readonly rawRequest: IncomingMessage,
  ) {}

  /** The pino child, built on first use. */
  get target(): Logger {
    return (this.logger ??= markRequestBound(this.parent.child(this.requestBindings(), this.options)));
  }

  private requestBindings(): Bindings {
    const requestId = String((this.bindings as { requestId?: unknown }).requestId ?? '');
    return { ...this.bindings, correlationId: correlationIdOf(this.rawRequest, requestId) };
  }

  get level(): string {
    return this.logger?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.target.level = level;
  }

  fatal(...args: unknown[]): void {
    call(this.target, 'fatal', args);
  }

  error(...args: unknown[]): void {
    call(this.target, 'error', args);
  }

  warn(...args: unknown[]): void {
    call(this.target, 'warn', args);
  }

  info(...args: unknown[]): void {
    call(this.target, 'info', args);
  }

  debug(...args: unknown[]): void {
    call(this.target, 'debug', args);
  }

  trace(...args: unknown[]): void {
    call(this.target, 'trace', args);
  }

  silent(): void {
    // pino's `silent` level method: does nothing.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.target.child(bindings, options);
  }
}

/** A deferred request logger typed as what Fastify expects from `childLoggerFactory`. */
export function deferredRequestLogger(
  parent: Logger,
  bindings: Bindings,
  options: ChildLoggerOptions,
  rawRequest: IncomingMessage,
): FastifyBaseLogger {
  return new DeferredRequestLogger(parent, bindings, options, rawRequest) as unknown as FastifyBaseLogger;
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

function call(logger: Logger, level: Level, args: unknown[]): void {
  (logger[level] as (...values: unknown[]) => void).apply(logger, args);
}
