import { StreamableFile } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Socket } from 'node:net';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { correlationChildLogger } from '../logging/correlation-child-logger';
import type { ClientErrorResponder, ConnectionError } from '../server/client-error.responder';
import { generateRequestId, REQUEST_ID_LOG_LABEL } from '../context/request-id';
import { responseStreamStart } from '../context/response-stream';

/** How often Node checks its connections for the headers timeout, in milliseconds. */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

/**
 * Nest's Fastify adapter, except:
 * - a handler's result that comes after its reply was sent (the request
 *   deadline answered 503, `REQUEST_TIMEOUT_SECONDS`) is dropped with a debug
 *   line instead of Fastify's "Reply was already sent" warning: the late
 *   result of an abandoned handler is expected, not a bug;
 * - an event stream's reply is sent and not returned. Nest awaits what
 *   `reply()` returns, and Fastify's reply is a thenable that settles when the
 *   response ends: for a stream that lasts minutes, Nest's whole request chain
 *   (its closures and promises) would stay in memory as long. The stream
 *   accounts for its own end (access log, metrics, span: docs/streaming.md).
 */
class ChassisFastifyAdapter extends FastifyAdapter {
  override reply(response: Parameters<FastifyAdapter['reply']>[0], body: unknown, statusCode?: number): FastifyReply {
    const reply = response as FastifyReply;
    if (reply.sent === true && reply.request?.signal.aborted === true) {
      reply.log.debug('Late result of an abandoned request dropped');
      return reply;
    }
    const sent = super.reply(response, body, statusCode);
    if (!(body instanceof StreamableFile) || reply.request === undefined || responseStreamStart(reply.request) === undefined) return sent;
    // Nest only awaits what it gets here, then drops it: an event stream's reply is not handed back (see above).
    return undefined as unknown as FastifyReply;
  }
}

/**
 * The Fastify adapter and the server-level settings that cannot be changed
 * after it is created.
 *
 * - `genReqId` mints every request id; `requestIdHeader: false` means an
 *   inbound X-Request-ID is never taken as the id.
 * - `trustProxy` (TRUST_PROXY): off, a hop count or a CIDR list, compiled by
 *   proxy-addr. It decides `request.ip` (the rightmost untrusted
 *   `X-Forwarded-For` hop), `request.protocol` and `request.host`
 *   (`X-Forwarded-Proto`/`-Host` honoured only from a trusted peer).
 * - `bodyLimit` makes an oversized body a 413 before it is buffered.
 * - `handlerTimeout` (REQUEST_TIMEOUT_SECONDS): Fastify answers 503 (rendered
 *   as a problem by the filter) and aborts `request.signal`, which handlers
 *   see as `currentRequestContext().signal`.
 * - `keepAliveTimeout` above the load balancer's idle timeout, so the LB,
 *   not us, closes idle connections (else it may reuse one we just closed: 502).
 * - `loggerInstance` is the app's root pino logger: `request.log`, which
 *   Fastify itself logs through, is a child bound to `requestId` and
 *   `correlationId` (`childLoggerFactory`); feature code logs through
 *   nestjs-pino and the root logger instead (see `createRootLogger` for how
 *   each line gets the ids). Fastify's own request logging is off: the
 *   chassis writes one access-log line per request itself (`logging/access-log.ts`).
 * - `return503OnClosing: false`: a request that reaches the server while it
 *   closes (on a connection accepted just before) is served normally, with
 *   `Connection: close`, instead of Fastify's bare 503 — the database is still
 *   open until the server has closed (see docs/shutdown.md).
 * - `frameworkErrors` and `clientErrorHandler`: client errors answered before
 *   any hook runs (undecodable URLs; oversized, malformed or too-slow headers)
 *   become problems, access-logged and counted ({@link ClientErrorResponder}).
 * - `connectionsCheckingInterval` 1 s: Node enforces `headersTimeout` only when
 *   it checks its connections (every 30 s by default), so a slow-header
 *   client would otherwise hold a socket up to 30 s past HEADERS_TIMEOUT_SECONDS.
 */
export function createFastifyAdapter(config: AppConfig, logger: Logger, clientErrors: ClientErrorResponder): FastifyAdapter {
  const { http } = config;
  return new ChassisFastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: REQUEST_ID_LOG_LABEL }),
    childLoggerFactory: correlationChildLogger,
    genReqId: generateRequestId,
    requestIdHeader: false,
    trustProxy: http.trustProxy,
    bodyLimit: http.bodyLimitBytes,
    handlerTimeout: http.requestTimeoutSeconds * 1000,
    keepAliveTimeout: http.keepAliveTimeoutSeconds * 1000,
    return503OnClosing: false,
    frameworkErrors: (error: FastifyError, request: unknown, reply: unknown) =>
      clientErrors.frameworkErrors(error, request as FastifyRequest, reply as FastifyReply),
    clientErrorHandler: (error: Error, socket: Socket) => clientErrors.clientErrorHandler(error as ConnectionError, socket),
    http: { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
  });
}
