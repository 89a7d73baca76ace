import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { JwtPayload } from 'jsonwebtoken';
import { type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { isEddsa } from './jwt-algorithms';
import { APP_CONFIG } from '../config/config.tokens';
import { InvalidTokenError, KeySetUnavailableError } from './auth.errors';
import { buildPrincipal } from './build-principal';
import { verifyEddsaToken, type EddsaVerifyOptions } from './eddsa-verifier';
import { JwtKeyStore } from './keys/jwt-key-store';
import type { Principal } from './principal';

/** Where the guard leaves the bearer token it already read and checked for the strategy. */
export const BEARER_TOKEN = Symbol('bearerToken');

/** A request carrying the token the guard extracted. */
export type RequestWithToken = FastifyRequest & { [BEARER_TOKEN]?: string };

/**
 * The passport-jwt strategy: jsonwebtoken verifies the signature with the
 * key from {@link JwtKeyStore}, the `alg` against the allow-list (one
 * family, never `none`), `iss`, `aud`, `exp` and `nbf` with the clock
 * tolerance; {@link buildPrincipal} adds the checks jsonwebtoken leaves
 * optional (`sub`, `exp` present, `iat`).
 *
 * When the allow-list is EdDSA (jsonwebtoken 9 has no EdDSA), verification
 * goes to `jose` instead ({@link verifyEddsaToken}) with the same checks and
 * the same outcomes for the guard: a failed check is a 401, missing JWKS keys
 * a 503, and {@link buildPrincipal} runs on the payload as for every token.
 *
 * The token comes from the guard, which has already parsed the header and
 * refused oversized or malformed ones.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly rolesClaim: string;
  private readonly clockToleranceSeconds: number;
  /** Set when the allow-list is EdDSA: tokens then go to jose, not to passport-jwt. */
  private readonly eddsa: EddsaVerifyOptions | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly keys: JwtKeyStore,
  ) {
    const auth = config.auth;
    super({
      jwtFromRequest: (request: RequestWithToken) => request[BEARER_TOKEN] ?? null,
      // @types/passport-jwt says string | Buffer; jsonwebtoken 9 takes a KeyObject (and is faster with one).
      secretOrKeyProvider: ((_request: unknown, token: string, done: KeyCallback) =>
        provideKey(keys, token, done)) as unknown as SecretOrKeyProvider,
      // Never EdDSA here: an EdDSA allow-list bypasses passport-jwt's verification (see authenticate).
      algorithms: auth.algorithms.filter((algorithm) => algorithm !== 'EdDSA'),
      issuer: auth.issuers,
      audience: auth.audiences,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: auth.clockToleranceSeconds },
    });
    this.rolesClaim = auth.rolesClaim;
    this.clockToleranceSeconds = auth.clockToleranceSeconds;
    this.eddsa = isEddsa(auth.algorithms)
      ? { issuers: auth.issuers, audiences: auth.audiences, clockToleranceSeconds: auth.clockToleranceSeconds }
      : undefined;
  }

  /**
   * passport's entry point. HS/RS/PS/ES: passport-jwt's own. EdDSA: the key
   * store's key, jose's verification, then {@link validate}, reporting through
   * the same passport outcomes passport-jwt uses (`fail` for a refused token
   * or unavailable keys, `error` when validate throws, `success`).
   */
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: unknown): void {
    if (!this.eddsa) {
      super.authenticate(request, options);
      return;
    }
    const token = (request as unknown as RequestWithToken)[BEARER_TOKEN];
    if (!token) {
      this.fail(new Error('No auth token'), 401);
      return;
    }
    this.verifyEddsa(token, this.eddsa).then(
      (outcome) => {
        if ('failure' in outcome) this.fail(outcome.failure, 401);
        else if ('error' in outcome) this.error(outcome.error as Error);
        else this.success(outcome.principal);
      },
      (error: unknown) => this.error(error as Error),
    );
  }

  /** Mirrors passport-jwt: no key or a refused token is a failure, a throwing validate an error. */
  private async verifyEddsa(token: string, options: EddsaVerifyOptions): Promise<EddsaOutcome> {
    let payload: JwtPayload;
    try {
      payload = await verifyEddsaToken(token, await this.keys.keyFor(token), options);
    } catch (failure) {
      if (failure instanceof InvalidTokenError || failure instanceof KeySetUnavailableError) return { failure };
      return { error: failure };
    }
    try {
      return { principal: this.validate(payload) };
    } catch (error) {
      return { error };
    }
  }

  /** Called by passport-jwt with the verified payload; the result becomes `request.principal`. */
  validate(payload: JwtPayload): Principal {
    return buildPrincipal(payload, {
      rolesClaim: this.rolesClaim,
      clockToleranceSeconds: this.clockToleranceSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
  }
}

type EddsaOutcome = { principal: Principal } | { failure: unknown } | { error: unknown };

type KeyCallback = (error: unknown, key?: KeyObject) => void;

/** Adapts the key store (sync for static keys, async for JWKS) to passport-jwt's callback. */
function provideKey(keys: JwtKeyStore, token: string, done: KeyCallback): void {
  let key;
  try {
    key = keys.keyFor(token);
  } catch (error) {
    done(error);
    return;
  }
  if (key instanceof Promise) key.then((resolved) => done(null, resolved), done);
  else done(null, key);
}
