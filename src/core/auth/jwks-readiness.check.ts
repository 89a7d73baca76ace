import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { HealthCheckRegistry } from '../health/health-check.registry';
import { JwtKeyStore } from './keys/jwt-key-store';

/**
 * The `jwks` readiness check (JWKS mode only, critical): not ready until the
 * key set was fetched once, since no token could be verified before. While
 * the provider is unreachable and the last good key set serves from its
 * grace period, the check stays up and its details say `degraded`
 * (`HEALTH_DETAILS=true` shows them); once the grace period is over it is down.
 */
@Injectable()
export class JwksReadinessCheck implements OnModuleInit {
  constructor(
    private readonly registry: HealthCheckRegistry,
    private readonly indicator: HealthIndicatorService,
    private readonly keys: JwtKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.auth.mode !== 'jwks') return;
    this.registry.addReadinessCheck({
      name: 'jwks',
      critical: true,
      check: async () => {
        const session = this.indicator.check('jwks');
        const { status, detail } = this.keys.readiness();
        const details = { state: status, ...detail };
        return status === 'down' ? session.down(details) : session.up(details);
      },
    });
  }
}
