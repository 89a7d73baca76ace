import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import { AuthGuard, type AuthGuardAuthenticateOptions } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { AccessRequirementsReader, type AccessRequirements } from './access-requirements';
import { InvalidTokenError, KeySetUnavailableError } from './auth.errors';
import {
  insufficientPermissionsProblem,
  invalidTenantHeaderProblem,
  invalidTokenProblem,
  keysUnavailableProblem,
  missingTenantProblem,
  missingTokenProblem,
} from './auth-problems';
import { readBearerToken } from './bearer-token';
import { JwtKeyStore } from './keys/jwt-key-store';
import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';
import { isTenantId } from '../tenancy/tenant-id';
import { eventStreamRouteConfig } from '../streaming/event-stream-route';
import { StreamTickets } from '../streaming/stream-tickets';

/**
 * The global authentication guard (registered as `APP_GUARD`): every route
 * needs a valid bearer token unless it is marked `@Public()`, then the
 * route's `@Scopes()` and `@Roles()` must all be held.
 *
 * On success `request.principal` holds the {@link Principal} (the rate
 * limiter and the cache key on it). Failures are problem+json:
 * 401 with `WWW-Authenticate` (RFC 6750 section 3), 403 naming what is
 * missing, 503 when JWKS keys are unavailable. Why a token was refused is
 * logged at debug level and never sent.
 *
 * With tenancy on (`TENANT_CLAIM`, docs/tenancy.md) the request's tenant
 * is resolved after verification, before scopes and roles are checked
 * ({@link JwtAuthGuard.withTenant}); a request without one is a 401.
 *
 * Verification runs passport-jwt (see {@link JwtStrategy}); a token already
 * verified is served from a bounded {@link VerifiedTokenCache}. On an
 * `@EventStream()` route a single-use stream ticket (`?ticket=`) may stand in
 * for the bearer token ({@link StreamTickets}, docs/streaming.md#browsers).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger('Authentication');
  private readonly requirements: AccessRequirementsReader;
  private readonly cache: VerifiedTokenCache;
  private readonly maxTokenBytes: number;
  private readonly tenancy: AppConfig['tenancy'];

  constructor(
    reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly keys: JwtKeyStore,
    private readonly tickets: StreamTickets,
  ) {
    super();
    this.requirements = new AccessRequirementsReader(reflector);
    this.cache = new VerifiedTokenCache(config.auth.verifiedTokenCacheSize);
    this.maxTokenBytes = config.auth.maxTokenBytes;
    this.tenancy = config.tenancy;
  }

  /**
   * Synchronous when the answer is known without verifying a signature (a
   * public route, a refused header, a token in the verified-token cache), so
   * Nest's guard runner awaits nothing on the usual path; a promise otherwise.
   */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const access = this.requirements.of(context);
    if (access.isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const ticket = streamTicketOf(request);
    if (ticket !== undefined) return this.admitTicket(request, ticket, access);
    const token = this.bearerToken(request);
    const useCache = this.cache.enabled;
    const cacheKey = useCache ? this.cache.keyOf(token) : '';
    // Read before verifying: if the key set changes meanwhile, the entry is stale and re-verified.
    const generation = this.keys.generation;
    const cached = useCache ? this.cache.get(cacheKey, generation, Date.now()) : undefined;
    if (cached) return this.admit(request, cached, access);
    return this.verify(request, context).then((principal) => {
      if (useCache) this.cache.set(cacheKey, principal, generation, Date.now());
      return this.admit(request, principal, access);
    });
  }

  /** passport's options: no session, the verified user goes to `request.principal`. */
  override getAuthenticateOptions(): AuthGuardAuthenticateOptions {
    return { session: false, property: 'principal' };
  }

  /** Maps passport's outcome: a principal, or the problem to answer with. */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown, info: unknown): TUser {
    if (!error && user) return user as TUser;
    const cause = error ?? info;
    if (cause instanceof KeySetUnavailableError) {
      this.logger.warn({ reason: cause.reason }, 'Bearer token not verifiable: no signing keys');
      throw keysUnavailableProblem(this.keys.retryAfterSeconds());
    }
    // An error thrown by our own code that is not about the token is a bug: let it be a logged 500.
    if (error && !(error instanceof InvalidTokenError)) throw error;
    this.refused(describe(cause));
    throw invalidTokenProblem();
  }

  /**
   * The bearer token of the request, read here for the verified-token cache
   * and for the two 401s (none, malformed); throws the problem. The strategy
   * reads the same header itself when it verifies.
   */
  private bearerToken(request: FastifyRequest): string {
    const credentials = readBearerToken(request.headers.authorization, this.maxTokenBytes);
    if (credentials.kind === 'none') {
      this.refused('no bearer token');
      throw missingTokenProblem();
    }
    if (credentials.kind === 'invalid') {
      this.refused(credentials.reason);
      throw invalidTokenProblem();
    }
    return credentials.token;
  }

  /** Verifies the request's token through passport ({@link JwtStrategy}); `handleRequest` maps refusals. */
  private async verify(request: FastifyRequest, context: ExecutionContext): Promise<Principal> {
    await super.canActivate(context);
    return request.principal as Principal;
  }

  /**
   * A stream ticket (`?ticket=` on an `@EventStream()` route, no `Authorization`): its holder is the principal,
   * once (docs/streaming.md#browsers). The ticket leaves the query, so query DTOs never see it.
   * @throws the 401 invalid-token problem for a ticket unknown, used, expired or issued for another path.
   */
  private async admitTicket(request: FastifyRequest, ticket: string, access: AccessRequirements): Promise<true> {
    delete (request.query as Record<string, unknown>).ticket;
    const holder = await this.tickets.consume(ticket, request.url.split('?')[0]);
    if (holder === undefined) {
      this.refused('stream ticket unknown, used, expired or for another path');
      throw invalidTokenProblem();
    }
    return this.admit(request, holder, access);
  }

  /** Sets the verified principal (with its tenant, when tenancy is on) on the request and checks the route's scopes and roles. */
  private admit(request: FastifyRequest, verified: Principal, access: AccessRequirements): true {
    const principal = this.tenancy.enabled ? this.withTenant(request, verified) : verified;
    request.principal = principal;
    if (principal.tenant !== undefined) enterTenant(request, principal.tenant);
    this.authorize(principal, access);
    return true;
  }

  /**
   * The principal acting in its tenant (docs/tenancy.md): the tenant header
   * when the token holds `TENANT_HEADER_SCOPE` and sent one, else the claim.
   * Roles are per tenant: naming another tenant than the token's own claim
   * drops the token's roles (they were granted in the token's tenant), scopes stay.
   * @throws the 401 problems: a malformed header, or no valid tenant claim.
   */
  private withTenant(request: FastifyRequest, principal: Principal): Principal {
    const { headerScope, header } = this.tenancy;
    const named = headerScope !== undefined && principal.scopes.includes(headerScope) ? request.headers[header] : undefined;
    if (named !== undefined) {
      if (!isTenantId(named)) {
        this.refused('malformed tenant header');
        throw invalidTenantHeaderProblem(header);
      }
      if (named === principal.tenant) return principal;
      return Object.freeze({ ...principal, tenant: named, roles: Object.freeze<string[]>([]) as string[] });
    }
    if (principal.tenant !== undefined) return principal;
    this.refused('no valid tenant claim');
    throw missingTenantProblem(this.tenancy.claim ?? '');
  }

  private authorize(principal: Principal, access: AccessRequirements): void {
    const missingScopes = access.scopes.filter((scope) => !principal.scopes.includes(scope));
    const missingRoles = access.roles.filter((role) => !principal.roles.includes(role));
    if (missingScopes.length === 0 && missingRoles.length === 0) return;
    this.logger.debug({ subject: principal.subject, missingScopes, missingRoles }, 'Access denied');
    throw insufficientPermissionsProblem(missingScopes, missingRoles);
  }

  private refused(reason: string): void {
    this.logger.debug({ reason }, 'Bearer token refused');
  }
}

/** The request's tenant on its context (log lines: `tenant_id`) and, when traced, on the active span (`tenant.id`). */
function enterTenant(request: FastifyRequest, tenant: string): void {
  if (request.chassisContext) request.chassisContext.tenantId = tenant;
  trace.getActiveSpan()?.setAttribute('tenant.id', tenant);
}

/** The `ticket` query parameter of a request without `Authorization` to an `@EventStream()` route, if any. */
function streamTicketOf(request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined || eventStreamRouteConfig(request.routeOptions.config) === undefined) return undefined;
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
  return typeof ticket === 'string' ? ticket : undefined;
}

function describe(cause: unknown): string {
  if (cause instanceof InvalidTokenError) return cause.reason;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause ?? 'unknown');
}
