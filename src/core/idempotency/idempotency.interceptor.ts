import { type CallHandler, type ExecutionContext, Inject, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { failureMessage } from '../errors/failure-warning';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { clientAddressTracker } from '../rate-limit/rate-limit.tracker';
import type { Principal } from '../auth/principal';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key';
import { IdempotencyMetrics, type IdempotencyOutcome } from './idempotency.metrics';
import type { ClaimResult, IdempotencyStore, StoredResponse } from './idempotency.store';
import { IDEMPOTENCY_STORE, IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotency.tokens';
import { requestFingerprint } from './request-fingerprint';

declare module 'fastify' {
  interface FastifyRequest {
    /** What `@Idempotent()` did with this request's key: the access log's `idempotency` field; unset without a key. */
    idempotencyOutcome?: IdempotencyOutcome;
  }
}

/** Sent on a replayed response (the convention of Stripe's API; the draft names none). */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** Response headers a replay sends again: where the created resource is and its version. */
const REPLAYED_HEADERS = ['location', 'content-location', 'etag', 'last-modified'] as const;

/** Seconds a client should wait before retrying while the first request with its key is still running. */
const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

/** A claim lives this long when the handler has no timeout, in seconds (a crashed replica's claim expires). */
const UNBOUNDED_HANDLER_LEASE_SECONDS = 300;

/** The interceptor behind `@Idempotent()` (idempotent.decorator.ts); see there for the rules. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    private readonly metrics: IdempotencyMetrics,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const key = this.keyOf(context, request);
    if (key === undefined) return next.handle();
    return from(this.handle(context, next, request, this.storeKeyOf(request, key), requestFingerprint(request.url, request.body)));
  }

  /** Claim, then replay / refuse, or run the handler and store its response (released on an error). */
  private async handle(
    context: ExecutionContext,
    next: CallHandler,
    request: FastifyRequest,
    storeKey: string,
    fingerprint: string,
  ): Promise<unknown> {
    const claim = await this.claim(request, storeKey, fingerprint);
    if (claim === undefined) return lastValueFrom(next.handle());
    if (claim.state !== 'claimed') return this.answerHeld(request, context.switchToHttp().getResponse<FastifyReply>(), claim, fingerprint);
    this.record(request, 'new');
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle());
    } catch (error) {
      await this.release(storeKey, claim.token);
      throw error;
    }
    await this.complete(context, storeKey, claim.token, fingerprint, body);
    return body;
  }

  /** The request's key; undefined when it sent none on a route that does not require one. Throws the 400s. */
  private keyOf(context: ExecutionContext, request: FastifyRequest): string | undefined {
    const options = this.reflector.getAllAndOverride<IdempotentOptions | undefined>(IDEMPOTENT_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const parsed = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (parsed.kind === 'key') return parsed.key;
    if (parsed.kind === 'absent' && !options?.required) return undefined;
    const detail =
      parsed.kind === 'absent' ? 'This route requires an Idempotency-Key header.' : `The Idempotency-Key header ${parsed.reason}.`;
    throw new ProblemException({
      status: 400,
      type: PROBLEM_TYPES.idempotencyKeyInvalid,
      detail,
      errors: [{ location: 'header', pointer: 'Idempotency-Key', detail }],
    });
  }

  /**
   * Whose key it is: the principal (issuer and subject; the client address on
   * public routes), the method and the route template, so that two callers or
   * two routes never share a record. Hashed: keys are client-chosen text.
   */
  private storeKeyOf(request: FastifyRequest, key: string): string {
    const principal = request.principal;
    const caller = principal ? principalScope(principal) : clientAddressTracker(request);
    const scope = JSON.stringify([caller, request.method, request.routeOptions.url ?? request.url, key]);
    return `${this.config.idempotency.keyPrefix}${hash('sha256', scope, 'hex')}`;
  }

  /** Claims the key; a store failure is a 503 (fail closed) or no idempotency for this request (fail open: undefined). */
  private async claim(request: FastifyRequest, storeKey: string, fingerprint: string): Promise<ClaimResult | undefined> {
    try {
      return await this.store.claim(storeKey, fingerprint, this.leaseMs());
    } catch (error) {
      this.record(request, 'store_unavailable');
      this.logger.warn({ msg: 'Idempotency store unavailable', failMode: this.config.idempotency.failMode, error: failureMessage(error) });
      if (this.config.idempotency.failMode === 'open') return undefined;
      throw new ProblemException({
        status: 503,
        type: PROBLEM_TYPES.idempotencyUnavailable,
        detail: 'Idempotency keys cannot be checked right now; retry later with the same key.',
        headers: { 'retry-after': String(IN_FLIGHT_RETRY_AFTER_SECONDS) },
      });
    }
  }

  /** A key already held: the stored response (replay), 409 while the first runs, or 422 when the payload differs. */
  private answerHeld(
    request: FastifyRequest,
    reply: FastifyReply,
    claim: Exclude<ClaimResult, { state: 'claimed' }>,
    fingerprint: string,
  ): unknown {
    if (claim.fingerprint !== fingerprint) {
      this.record(request, 'mismatch');
      throw new ProblemException({
        status: 422,
        type: PROBLEM_TYPES.idempotencyKeyReused,
        detail: 'This Idempotency-Key was used for a different request (method, target or body); use a new key for a new request.',
      });
    }
    if (claim.state === 'in-flight') {
      this.record(request, 'conflict');
      throw new ProblemException({
        status: 409,
        type: PROBLEM_TYPES.idempotencyKeyInFlight,
        detail: 'A request with this Idempotency-Key is still being processed; retry later to get its response.',
        headers: { 'retry-after': String(IN_FLIGHT_RETRY_AFTER_SECONDS) },
      });
    }
    this.record(request, 'replayed');
    const { status, headers, bodyJson } = claim.response;
    void reply.status(status).header(REPLAYED_HEADER, 'true');
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    return bodyJson === undefined ? undefined : (JSON.parse(bodyJson) as unknown);
  }

  /** Counts the outcome (`idempotency_requests_total`) and leaves it on the request for the access log. */
  private record(request: FastifyRequest, outcome: IdempotencyOutcome): void {
    this.metrics.requests.inc({ outcome });
    request.idempotencyOutcome = outcome;
  }

  /** Stores the response for replay; a body that cannot be replayed (a stream, a Buffer) releases the key instead. */
  private async complete(context: ExecutionContext, storeKey: string, token: string, fingerprint: string, body: unknown): Promise<void> {
    if (body instanceof Readable || Buffer.isBuffer(body)) return this.release(storeKey, token);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // As JSON text: what the reply will serialize (Dates as ISO strings), so a replay sends the same bytes.
    const response: StoredResponse = {
      status: this.statusOf(context, reply),
      headers: replayedHeaders(reply),
      bodyJson: JSON.stringify(body),
    };
    try {
      await this.store.complete(storeKey, token, fingerprint, response, this.config.idempotency.ttlSeconds * 1000);
    } catch (error) {
      // The response is still sent; a retry will find the claim expired and run again.
      this.logger.warn({ msg: 'Idempotency record not stored', error: failureMessage(error) });
    }
  }

  private async release(storeKey: string, token: string): Promise<void> {
    try {
      await this.store.release(storeKey, token);
    } catch (error) {
      this.logger.warn({ msg: 'Idempotency claim not released; it expires with its lease', error: failureMessage(error) });
    }
  }

  /** `@HttpCode()` if declared (applied after the interceptors), what the handler set, or Nest's default (201 for POST). */
  private statusOf(context: ExecutionContext, reply: FastifyReply): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    if (declared !== undefined) return declared;
    if (reply.statusCode !== 200) return reply.statusCode;
    return context.switchToHttp().getRequest<FastifyRequest>().method === 'POST' ? 201 : 200;
  }

  /** Twice the handler timeout: a claim outlives its request, and a crashed replica's claim still expires. */
  private leaseMs(): number {
    const timeout = this.config.http.requestTimeoutSeconds;
    return (timeout > 0 ? timeout * 2 : UNBOUNDED_HANDLER_LEASE_SECONDS) * 1000;
  }
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** Whose keys: issuer and subject, and the tenant with tenancy on (one subject's keys in two tenants never meet). */
function principalScope(principal: Principal): string {
  const scope = `principal:${principal.issuer}\n${principal.subject}`;
  return principal.tenant === undefined ? scope : `${scope}\ntenant:${principal.tenant}`;
}
