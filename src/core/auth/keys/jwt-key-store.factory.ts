import { createPublicKey, createSecretKey } from 'node:crypto';
import { Logger, type FactoryProvider } from '@nestjs/common';
import type { JwksClient } from 'jwks-rsa';
import { Counter, type Registry } from 'prom-client';
import type { AppConfig, AuthConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { METRICS_REGISTRY } from '../../metrics/metrics.tokens';
import { DependencyBreakers } from '../../circuit-breaker/dependency-breakers';
import { fetchJwks } from './jwks-fetch';
import { JwksKeySource } from './jwks-key-source';
import { JwtKeyStore } from './jwt-key-store';
import { StaticKeySource } from './static-key-source';

/**
 * jwks-rsa's client class, required only in JWKS mode: the other modes never
 * use it, and loading it slows every cold start (see docs/performance.md).
 */
function loadJwksClient(): typeof JwksClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('jwks-rsa') as typeof import('jwks-rsa')).JwksClient;
}

/**
 * The {@link JwtKeyStore} of the configured mode (docs/authentication.md).
 *
 * Keys are Node `KeyObject`s built once: jsonwebtoken given a string secret
 * tries `createPublicKey()` on every verification first (node-jsonwebtoken
 * #1046, see docs/performance.md); a KeyObject skips that.
 *
 * In JWKS mode, fetches are counted as `auth_jwks_fetches_total{result}`;
 * each has a total deadline (`AUTH_JWKS_TIMEOUT_SECONDS`) and a body cap
 * (`AUTH_JWKS_MAX_BYTES`), both enforced by aborting the fetch, and goes
 * through the `jwks` circuit breaker (`breakers`; while it is open a fetch
 * fails at once, like an unreachable provider).
 */
export function createJwtKeyStore(config: AppConfig, registry: Registry, breakers: DependencyBreakers): JwtKeyStore {
  const auth = config.auth;
  if (auth.mode === 'secret') {
    return new StaticKeySource(createSecretKey(Buffer.from(auth.secret ?? '', 'utf8')), 'secret', auth.usesDevelopmentSecret);
  }
  if (auth.mode === 'public-key') return new StaticKeySource(createPublicKey(auth.publicKeyPem ?? ''), 'public-key');
  return createJwksKeySource(auth, registry, breakers);
}

function createJwksKeySource(auth: AuthConfig, registry: Registry, breakers: DependencyBreakers): JwksKeySource {
  const logger = new Logger('Authentication');
  const fetches = new Counter({
    name: 'auth_jwks_fetches_total',
    help: 'JWKS (signing key set) fetches from the identity provider, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  fetches.inc({ result: 'success' }, 0);
  fetches.inc({ result: 'failure' }, 0);
  const shutdown = new AbortController();
  const limits = { timeoutMs: auth.jwks.timeoutSeconds * 1000, maxBytes: auth.jwks.maxBytes, signal: shutdown.signal };
  const client = new (loadJwksClient())({
    jwksUri: auth.jwksUri ?? '',
    cache: false, // caching, cooldown and rate limits are JwksKeySource's
    rateLimit: false,
    // jwks-rsa's own request has no total deadline and never settles when a body stalls (docs/authentication.md).
    fetcher: (uri: string) => fetchJwks(uri, limits),
  });
  const events = {
    fetched: (result: 'success' | 'failure', detail: { keys?: number; error?: string; changed?: boolean }) => {
      fetches.inc({ result });
      if (result === 'failure') logger.warn({ jwksUri: auth.jwksUri, error: detail.error }, 'JWKS fetch failed');
      else if (detail.changed) logger.log({ jwksUri: auth.jwksUri, keys: detail.keys }, 'JWKS key set loaded');
    },
  };
  const breaker = breakers.for('jwks');
  const fetcher = { getSigningKeys: () => breaker.execute(() => client.getSigningKeys()) };
  return new JwksKeySource({ algorithms: auth.algorithms, ...auth.jwks }, fetcher, events, Date.now, shutdown);
}

/** Provides {@link JwtKeyStore} (the store of the configured mode). */
export const JWT_KEY_STORE_PROVIDER: FactoryProvider<JwtKeyStore> = {
  provide: JwtKeyStore,
  inject: [APP_CONFIG, METRICS_REGISTRY, DependencyBreakers],
  useFactory: createJwtKeyStore,
};
