import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JwksClient } from 'jwks-rsa';
import { Counter, type Registry } from 'prom-client';
import type { AppConfig, AuthConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.tokens';
import { METRICS_REGISTRY } from '../../metrics/metrics.tokens';
import { fetchJwks } from './jwks-fetch';
import { JwksKeySource } from './jwks-key-source';
import { StaticKeySource, type KeySource, type KeysReadiness } from './key-source';

/**
 * jwks-rsa's client class, required only in JWKS mode: the other modes never
 * use it, and loading it is about 35 ms of every cold start (docs/performance.md).
 */
function loadJwksClient(): typeof JwksClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('jwks-rsa') as typeof import('jwks-rsa')).JwksClient;
}

/**
 * The verification keys of the configured mode, behind one interface: the
 * shared secret, the static public key, or the JWKS (docs/authentication.md).
 *
 * Keys are Node `KeyObject`s built once: jsonwebtoken given a string secret
 * tries `createPublicKey()` on every verification first (about 550 µs wasted
 * per request, node-jsonwebtoken #1046); a KeyObject skips that.
 *
 * Also the readiness source for `/health/ready`: see {@link readiness}.
 * JWKS fetches are counted as `auth_jwks_fetches_total{result}`; each has a
 * total deadline (`AUTH_JWKS_TIMEOUT_SECONDS`) and a body cap
 * (`AUTH_JWKS_MAX_BYTES`), both enforced by aborting the fetch.
 */
@Injectable()
export class JwtKeyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Authentication');
  private readonly source: KeySource;
  /** Aborts a JWKS fetch still under way when the application stops, so it cannot hold shutdown. */
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const fetches = new Counter({
      name: 'auth_jwks_fetches_total',
      help: 'JWKS (signing key set) fetches from the identity provider, by result.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.source = this.createSource(config.auth, fetches);
  }

  /** In JWKS mode, starts the first fetch so keys are ready before the first request (does not block boot). */
  onApplicationBootstrap(): void {
    if (this.config.auth.usesDevelopmentSecret) {
      this.logger.warn('Authentication uses the built-in development secret (no AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URI)');
    }
    if (this.source instanceof JwksKeySource) void this.source.refreshIfAllowed();
  }

  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /** The key to verify this raw token with; see {@link KeySource.keyFor}. */
  keyFor(token: string): KeyObject | Promise<KeyObject> {
    return this.source.keyFor(token);
  }

  /** Changes when the key set changes (JWKS rotation). */
  get generation(): number {
    return this.source.generation;
  }

  /**
   * Readiness of authentication: `up` with a static key; in JWKS mode `down`
   * until the key set was fetched once (and again after the grace period
   * ran out), `degraded` while serving the last good set because refetching
   * fails.
   */
  readiness(): KeysReadiness {
    return this.source.readiness();
  }

  retryAfterSeconds(): number {
    return this.source.retryAfterSeconds();
  }

  private createSource(auth: AuthConfig, fetches: Counter<'result'>): KeySource {
    if (auth.mode === 'secret') return new StaticKeySource(createSecretKey(Buffer.from(auth.secret ?? '', 'utf8')), 'secret');
    if (auth.mode === 'public-key') return new StaticKeySource(createPublicKey(auth.publicKeyPem ?? ''), 'public-key');
    fetches.inc({ result: 'success' }, 0);
    fetches.inc({ result: 'failure' }, 0);
    const limits = { timeoutMs: auth.jwks.timeoutSeconds * 1000, maxBytes: auth.jwks.maxBytes, signal: this.shutdown.signal };
    const client = new (loadJwksClient())({
      jwksUri: auth.jwksUri ?? '',
      cache: false, // caching, cooldown and rate limits are JwksKeySource's
      rateLimit: false,
      // jwks-rsa's own request has no total deadline and never settles when a body stalls (docs/authentication.md).
      fetcher: (uri: string) => fetchJwks(uri, limits),
    });
    return new JwksKeySource({ algorithms: auth.algorithms, ...auth.jwks }, client, {
      fetched: (result, detail) => {
        fetches.inc({ result });
        if (result === 'failure') this.logger.warn({ jwksUri: auth.jwksUri, error: detail.error }, 'JWKS fetch failed');
        else if (detail.changed) this.logger.log({ jwksUri: auth.jwksUri, keys: detail.keys }, 'JWKS key set loaded');
      },
    });
  }
}
