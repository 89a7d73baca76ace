import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { JwtPayload } from 'jsonwebtoken';
import { type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { buildPrincipal } from './build-principal';
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
 * The token comes from the guard, which has already parsed the header and
 * refused oversized or malformed ones.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly rolesClaim: string;
  private readonly clockToleranceSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, keys: JwtKeyStore) {
    const auth = config.auth;
    super({
      jwtFromRequest: (request: RequestWithToken) => request[BEARER_TOKEN] ?? null,
      // @types/passport-jwt says string | Buffer; jsonwebtoken 9 takes a KeyObject (and is faster with one).
      secretOrKeyProvider: ((_request: unknown, token: string, done: KeyCallback) =>
        provideKey(keys, token, done)) as unknown as SecretOrKeyProvider,
      algorithms: auth.algorithms,
      issuer: auth.issuers,
      audience: auth.audiences,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: auth.clockToleranceSeconds },
    });
    this.rolesClaim = auth.rolesClaim;
    this.clockToleranceSeconds = auth.clockToleranceSeconds;
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
