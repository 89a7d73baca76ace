import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Algorithm, JwtPayload } from 'jsonwebtoken';
import { type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { readBearerToken } from './bearer-token';
import { buildPrincipal } from './build-principal';
import { addEddsaToPassportJwt } from './eddsa-verifier';
import { JwtKeyStore, type KeyCallback } from './keys/jwt-key-store';
import type { Principal } from './principal';

/**
 * The passport-jwt strategy, configured with passport-jwt's documented
 * options: the token from the `Authorization: Bearer` header
 * (`jwtFromRequest`, with the chassis's size cap and syntax,
 * {@link readBearerToken}), the key from {@link JwtKeyStore}
 * (`secretOrKeyProvider`; jwks-rsa fetches JWKS keys), the `alg`
 * allow-list (one family, never `none`), `iss`, `aud`, `exp` and `nbf` with
 * the clock tolerance. jsonwebtoken verifies HS/RS/PS/ES tokens; an EdDSA
 * allow-list is verified by `jose` through passport-jwt's verifier seam
 * ({@link addEddsaToPassportJwt}). {@link validate} then adds the checks
 * jsonwebtoken leaves optional (`sub`, `exp` present, `iat`).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly rolesClaim: string;
  private readonly tenantClaim: string | undefined;
  private readonly clockToleranceSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, keys: JwtKeyStore) {
    const auth = config.auth;
    addEddsaToPassportJwt();
    super({
      jwtFromRequest: (request: FastifyRequest) => bearerTokenOf(request, auth.maxTokenBytes),
      // @types/passport-jwt says string | Buffer; jsonwebtoken 9 takes a KeyObject (and is faster with one).
      secretOrKeyProvider: ((_request: unknown, token: string, done: KeyCallback) =>
        keys.provideKey(token, done)) as unknown as SecretOrKeyProvider,
      // jsonwebtoken's Algorithm type has no EdDSA; the verifier seam takes it (see addEddsaToPassportJwt).
      algorithms: auth.algorithms as Algorithm[],
      issuer: auth.issuers,
      audience: auth.audiences,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: auth.clockToleranceSeconds },
    });
    this.rolesClaim = auth.rolesClaim;
    this.tenantClaim = config.tenancy.claim;
    this.clockToleranceSeconds = auth.clockToleranceSeconds;
  }

  /** Called by passport-jwt with the verified payload; the result becomes `request.principal`. */
  validate(payload: JwtPayload): Principal {
    return buildPrincipal(payload, {
      rolesClaim: this.rolesClaim,
      tenantClaim: this.tenantClaim,
      clockToleranceSeconds: this.clockToleranceSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
  }
}

/** The bearer token of the request, or null (passport-jwt then fails with "No auth token"). */
function bearerTokenOf(request: FastifyRequest, maxTokenBytes: number): string | null {
  const credentials = readBearerToken(request.headers.authorization, maxTokenBytes);
  return credentials.kind === 'token' ? credentials.token : null;
}
