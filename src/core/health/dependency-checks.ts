import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { REDIS_CLIENT } from '../redis/redis.tokens';
import { DependencyBreakers } from '../circuit-breaker/dependency-breakers';
import { HealthCheckRegistry } from './health-check.registry';

/**
 * The chassis's own readiness checks:
 *
 * - `database` (critical): Terminus' TypeORM ping (`SELECT 1`).
 * - `redis` (critical only with `HEALTH_REDIS_CRITICAL=true`), only when
 *   `REDIS_URL` is set: a `PING` on the shared client. The client has no
 *   offline queue, so a lost connection fails at once instead of waiting.
 *   The PING bypasses the Redis circuit breaker (readiness always asks the
 *   real Redis); its detail names the circuit's state (`circuit`).
 *
 * The database ping obtains its connection through the database's circuit
 * breaker: while the circuit is open it fails at once, and after the
 * half-open delay it may itself be the probe that closes the circuit
 * (docs/health-checks.md#circuit-breakers).
 */
@Injectable()
export class DependencyChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthCheckRegistry,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly breakers: DependencyBreakers,
  ) {}

  onModuleInit(): void {
    const timeoutMs = this.config.health.checkTimeoutSeconds * 1000;
    this.registry.addReadinessCheck({
      name: 'database',
      critical: true,
      check: () => this.typeOrm.pingCheck('database', { timeout: timeoutMs }),
    });
    const redis = this.redis;
    if (redis) {
      this.registry.addReadinessCheck({
        name: 'redis',
        critical: this.config.health.redisCritical,
        check: async () => {
          const session = this.indicator.check('redis');
          const circuit = this.breakers.for('redis').state;
          const reply = await redis.ping();
          return reply === 'PONG' ? session.up({ circuit }) : session.down({ message: `unexpected PING reply ${reply}`, circuit });
        },
      });
    }
  }
}
