import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CORRELATION_ID_HEADER, correlationIdOf } from '../context/correlation-id';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemDetails } from '../errors/problem-details';
import { accessLogFields, ACCESS_LOG_MESSAGE } from '../logging/access-log';
import { redactQuery } from '../logging/redact';
import { API_SECURITY_HEADERS } from '../security/security-headers';
import { generateRequestId, REQUEST_ID_HEADER } from '../context/request-id';
import { UNMATCHED_ROUTE } from '../routing/route-template';

/** Where answered client errors are counted: `HttpMetrics`, once Nest has built it. */
export interface ClientErrorCounter {
  observe(method: string, route: string, statusCode: number, seconds: number): void;
}

/** An error Node's HTTP parser or its connection checks report (`clientError` event). */
export type ConnectionError = Error & { code?: string; rawPacket?: Buffer };

/** Longest request-target echoed in `instance` and the access log: it is client input. */
const MAX_ECHOED_TARGET = 256;
/** A request line longer than this, with the header section over Node's limit, is a 414 rather than a 431. */
const LONG_REQUEST_LINE = 8 * 1024;

/**
 * Client errors the server answers before Fastify runs a request through its
 * hooks, so neither the problem filter, the security headers, the access log
 * nor the metrics would see them:
 *
 * - `frameworkErrors` (Fastify option): a target the router cannot decode —
 *   a malformed percent-escape or invalid (e.g. overlong) UTF-8 — 400.
 * - `clientErrorHandler` (Fastify option, Node's `clientError` event): no
 *   request was parsed — the header section over Node's limit (431, or 414
 *   when the request line alone is), malformed framing or syntax (400), the
 *   headers timeout (408). The answer is written to the socket, which is then closed.
 *
 * Each answer is a problem+json with a request id and the API security
 * headers, gets one access-log line (with `clientError`: the code) and is
 * counted in `http_server_request_duration_seconds` under `UNMATCHED`.
 * None is a server fault: nothing is logged at error level.
 */
export class ClientErrorResponder {
  private counter: ClientErrorCounter | undefined;

  /**
   * @param logger the root logger (access-log lines).
   * @param keepQueryValues LOG_QUERY_VALUES.
   */
  constructor(
    private readonly logger: Logger,
    private readonly keepQueryValues: boolean,
  ) {}

  /** Counts the answers from now on (metrics are built after the adapter). */
  countWith(counter: ClientErrorCounter): void {
    this.counter = counter;
  }

  /** Fastify's `frameworkErrors`: the router could not decode the request target. */
  readonly frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    // FST_ERR_BAD_URL (400) in practice: the other kind, an async route constraint's failure, needs constraints the chassis never registers.
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const requestId = String(request.id);
    const correlationId = correlationIdOf(request.raw, requestId);
    const body = problem(status, detailOf(error.code), targetPath(request.raw.url), requestId, correlationId);
    void reply
      .code(status)
      .headers({
        ...API_SECURITY_HEADERS,
        'cache-control': 'no-store',
        [REQUEST_ID_HEADER]: requestId,
        [CORRELATION_ID_HEADER]: correlationId,
      })
      .type(PROBLEM_CONTENT_TYPE)
      .send(body);
    // Fastify runs no onResponse hook for these replies: log and count here.
    this.logger.info({ ...accessLogFields(request, reply, this.keepQueryValues), clientError: error.code }, ACCESS_LOG_MESSAGE);
    this.counter?.observe(request.method, UNMATCHED_ROUTE, status, reply.elapsedTime / 1000);
  };

  /** Fastify's `clientErrorHandler`: Node refused the bytes before a request existed. */
  readonly clientErrorHandler = (error: ConnectionError, socket: Socket): void => {
    // The client is gone (reset, closed, or ended mid-message): no one to answer. A request it
    // was sending gets its one access-log line from the access log's onRequestAbort hook.
    if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || socket.destroyed) {
      socket.destroy();
      return;
    }
    const status = statusOf(error);
    const requestLine = firstLine(error.rawPacket);
    const [method, target] = requestLine.split(' ', 2);
    const requestId = generateRequestId();
    const body = problem(status, detailOf(error.code, status), targetPath(target), requestId, requestId);
    if (socket.writable) socket.end(rawResponse(status, requestId, JSON.stringify(body)));
    else socket.destroy();
    this.logger.info(
      {
        requestId,
        correlationId: requestId,
        method: /^[A-Z]{1,16}$/.test(method ?? '') ? method : undefined,
        route: UNMATCHED_ROUTE,
        url: target ? this.echoedUrl(target) : undefined,
        statusCode: status,
        clientAddress: socket.remoteAddress,
        clientError: error.code,
      },
      ACCESS_LOG_MESSAGE,
    );
    this.counter?.observe(method ?? '', UNMATCHED_ROUTE, status, 0);
  };

  private echoedUrl(target: string): string {
    const url = target.slice(0, MAX_ECHOED_TARGET);
    return this.keepQueryValues ? url : redactQuery(url);
  }
}

/** The status for an error Node's parser reports (codes: llhttp's `HPE_*`, Node's `ERR_HTTP_*`). */
function statusOf(error: ConnectionError): number {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (error.code !== 'HPE_HEADER_OVERFLOW') return 400;
  const packet = error.rawPacket;
  const lineEnd = packet ? packet.indexOf('\r\n') : -1;
  return packet && (lineEnd === -1 ? packet.length : lineEnd) > LONG_REQUEST_LINE ? 414 : 431;
}

function detailOf(code: string | undefined, status = 400): string {
  if (code === 'FST_ERR_BAD_URL') return 'The request target is not a valid URL: a malformed percent-escape or invalid UTF-8.';
  if (status === 408) return 'The request headers did not arrive in time.';
  if (status === 414) return 'The request target is longer than the server accepts.';
  if (status === 431) return 'The request header section is larger than the server accepts.';
  return 'The request is not valid HTTP/1.1 (malformed request line, header or message framing).';
}

function problem(status: number, detail: string, instance: string, requestId: string, correlationId: string): ProblemDetails {
  const type = status === 408 ? PROBLEM_TYPES.clientTimeout : PROBLEM_TYPES.malformedRequest;
  return { type, title: STATUS_CODES[status] ?? 'Bad Request', status, detail, instance, requestId, correlationId };
}

/** The path of a request target, without its query (it may hold secrets), truncated: it is client input. */
function targetPath(target: string | undefined): string {
  if (!target || !target.startsWith('/')) return '/';
  return target.split('?', 1)[0].slice(0, MAX_ECHOED_TARGET);
}

/** The request line of a raw packet, as far as it is printable ASCII (nothing else is echoed). */
function firstLine(packet: Buffer | undefined): string {
  if (!packet) return '';
  const text = packet.subarray(0, Math.min(packet.length, MAX_ECHOED_TARGET * 2)).toString('latin1');
  return /^[\x21-\x7e ]*/.exec(text.split('\r\n', 1)[0])![0];
}

function rawResponse(status: number, requestId: string, body: string): string {
  const headers: Record<string, string> = {
    ...API_SECURITY_HEADERS,
    'cache-control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
    [CORRELATION_ID_HEADER]: requestId,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
