import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import type { ShutdownConfig } from '../config/app-config';
import { flushLogs } from '../logging/root-logger';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { shutdownTracing } from '../tracing/tracing';
import { InFlightRequests } from './in-flight-requests';
import { LifecycleState } from './lifecycle-state';

/** The signals that start a graceful shutdown (Kubernetes sends SIGTERM; Ctrl-C is SIGINT). */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Log messages of the sequence, in order (tests and runbooks match them). */
export const SHUTDOWN_MESSAGES = {
  started: 'Shutdown started: readiness reports 503',
  closing: 'Stopped accepting connections; finishing in-flight requests',
  complete: 'Shutdown complete',
  aborting: 'Shutdown timeout near: aborting the requests still in flight',
  timedOut: 'Shutdown timed out: forcing exit',
  secondSignal: 'Second shutdown signal: forcing exit',
  failed: 'Shutdown failed: forcing exit',
} as const;

/**
 * How long before `SHUTDOWN_TIMEOUT_SECONDS` ends the requests still in flight
 * are aborted, in ms: 1 s, or half the timeout when it is shorter, for their
 * database work to stop and the pool and Redis to close before the deadline.
 */
export function abortLeadMs(timeoutSeconds: number): number {
  return Math.min(1000, (timeoutSeconds * 1000) / 2);
}

/**
 * Installs the graceful shutdown (docs/shutdown.md). On the first SIGTERM or SIGINT:
 *
 * 1. readiness answers 503 at once ({@link LifecycleState});
 * 2. the server keeps serving for `SHUTDOWN_DELAY_SECONDS`, while load
 *    balancers and Kubernetes endpoints stop routing here;
 * 3. the listener closes (no new connection), idle keep-alive connections are
 *    closed, in-flight requests finish — Fastify's `close()`;
 * 4. Nest's shutdown hooks close the database pool and Redis; buffered spans
 *    are exported and log lines flushed; exit 0.
 *
 * If requests are still in flight shortly before `SHUTDOWN_TIMEOUT_SECONDS`
 * ({@link abortLeadMs}), they are aborted — their connections closed, their
 * signals aborted, so their database work stops — with one line saying how
 * many; the shutdown then ends with exit 1 once closing is done, at the latest
 * at the timeout. If steps 3–4 take longer than `SHUTDOWN_TIMEOUT_SECONDS`, or
 * a second signal arrives, it logs why and exits 1 at once. Replaces Nest's
 * `enableShutdownHooks()`, which would close the server without the delay.
 *
 * @param exit ends the process with a code (default `process.exit`).
 */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  options: ShutdownConfig,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const logger = new Logger('Shutdown');
  const rootLogger = app.get<PinoLogger>(ROOT_LOGGER);
  const lifecycle = app.get(LifecycleState);
  let started = false;

  const finish = (code: number) => {
    flushLogs(rootLogger);
    exit(code);
  };

  const shutdown = async (signal: string) => {
    lifecycle.beginDrain();
    logger.log({ signal, delaySeconds: options.delaySeconds, timeoutSeconds: options.timeoutSeconds }, SHUTDOWN_MESSAGES.started);
    await sleep(options.delaySeconds * 1000);
    const timeoutMs = options.timeoutSeconds * 1000;
    let abortedRequests = 0;
    const abortTimer = setTimeout(
      () => {
        abortedRequests = inFlight.abortAll();
        if (abortedRequests > 0) logger.warn({ abortedRequests, timeoutSeconds: options.timeoutSeconds }, SHUTDOWN_MESSAGES.aborting);
      },
      timeoutMs - abortLeadMs(options.timeoutSeconds),
    );
    const timer = setTimeout(() => {
      logger.error({ timeoutSeconds: options.timeoutSeconds, abortedRequests }, SHUTDOWN_MESSAGES.timedOut);
      finish(1);
    }, timeoutMs);
    try {
      await app.close();
      await shutdownTracing();
      clearTimeout(abortTimer);
      clearTimeout(timer);
      // Requests were lost: the shutdown was not clean, whatever closed after.
      if (abortedRequests > 0) {
        logger.error({ timeoutSeconds: options.timeoutSeconds, abortedRequests }, SHUTDOWN_MESSAGES.timedOut);
        finish(1);
        return;
      }
      logger.log(SHUTDOWN_MESSAGES.complete);
      finish(0);
    } catch (error) {
      clearTimeout(abortTimer);
      clearTimeout(timer);
      logger.error({ err: error }, SHUTDOWN_MESSAGES.failed);
      finish(1);
    }
  };

  // Logged right after the listener is closed, not from Fastify's `preClose`
  // hook: Fastify calls `server.close()` a tick after its `preClose` hooks, and
  // log lines are written by the end of the turn they are logged in, so a
  // client reading the line from `preClose` could still connect. Node closes
  // the listening socket inside `server.close()`, so a line written after it
  // is true.
  const server = app.getHttpServer() as Server;
  const inFlight = new InFlightRequests(server);
  const closeListener = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    const result = closeListener(callback);
    if (lifecycle.draining) logger.log(SHUTDOWN_MESSAGES.closing);
    return result;
  }) as Server['close'];

  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      logger.error({ signal }, SHUTDOWN_MESSAGES.secondSignal);
      finish(1);
      return;
    }
    started = true;
    void shutdown(signal);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
