import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { createCircuitBreakerMetrics } from '../circuit-breaker/circuit-breaker.metrics';
import { DependencyBreaker } from '../circuit-breaker/dependency-breaker';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { UpstreamError } from '../errors/upstream-errors';
import { METRICS_REGISTRY } from '../metrics/metrics.tokens';
import { createHttpClientDuration } from './http-client.metrics';
import { UpstreamClient } from './upstream-client';
import { createUpstreamPolicies } from './upstream-policies';
import type { UpstreamSettings } from './upstream-settings';

type Undici = typeof import('undici');

/** undici, required when the first upstream's client is built (most services call none). */
function loadUndici(): Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('undici') as Undici;
}

/**
 * The clients of the named upstreams (`UPSTREAM_<NAME>_URL`), one per name
 * for the process, each with its own circuit breaker and two undici `Pool`s,
 * one for calls and one for streams, each bounded by `_CONNECTIONS`. Inject one with
 * `@InjectUpstream('<name>')`, or this registry and {@link get}.
 * Closes the pools at shutdown, after in-flight requests have drained.
 */
@Injectable()
export class UpstreamClients implements OnApplicationShutdown {
  private readonly clients = new Map<string, UpstreamClient>();
  private readonly logger = new Logger('HttpClient');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** The names of the configured upstreams (lower case). */
  names(): string[] {
    return Object.keys(this.config.httpClient.upstreams);
  }

  /**
   * The client of upstream `name` (case-insensitive), built on first use.
   * @throws Error when no `UPSTREAM_<NAME>_URL` declares it (a programming or deployment error, found at boot by `@InjectUpstream`).
   */
  get(name: string): UpstreamClient {
    const key = name.toLowerCase();
    let client = this.clients.get(key);
    if (client === undefined) {
      const settings = this.config.httpClient.upstreams[key];
      if (settings === undefined) {
        throw new Error(`upstream "${name}" is not configured: set UPSTREAM_${name.toUpperCase()}_URL (docs/outbound-http.md)`);
      }
      client = this.build(settings);
      this.clients.set(key, client);
    }
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }

  private build(settings: UpstreamSettings): UpstreamClient {
    const { Pool } = loadUndici();
    const poolOptions = { connections: settings.connections, connect: { timeout: settings.connectTimeoutSeconds * 1000 } };
    // undici bounds the bodies it reads (and closes the connection past the bound); a stream's body has no bound.
    const pool = new Pool(settings.url.origin, { ...poolOptions, maxResponseSize: settings.maxResponseBytes });
    // Streams hold a connection each for their whole life: on a pool of their own they never take the connections calls need.
    const streamPool = new Pool(settings.url.origin, poolOptions);
    const breaker = new DependencyBreaker(
      `upstream:${settings.name}`,
      {
        enabled: this.config.circuitBreaker.enabled,
        failures: settings.circuitBreakerFailures,
        halfOpenAfterSeconds: settings.circuitBreakerHalfOpenAfterSeconds,
      },
      createCircuitBreakerMetrics(this.registry),
      this.logger,
      (error) => error instanceof UpstreamError,
    );
    return new UpstreamClient(settings, {
      pool,
      streamPool,
      breaker,
      policies: createUpstreamPolicies(settings, this.config.httpClient.retryAfterMaxSeconds),
      duration: createHttpClientDuration(this.registry),
      logger: this.logger,
    });
  }
}
