import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyChecks } from './dependency-checks';
import { HealthCheckRegistry } from './health-check.registry';
import { HealthController } from './health.controller';
import { ReadinessService } from './readiness.service';
import { StartupService } from './startup.service';

/**
 * Liveness, readiness and startup probes (`/health/live|ready|startup`).
 *
 * Terminus supplies the indicators (the TypeORM ping, `HealthIndicatorService`
 * for custom ones, HTTP/microservice indicators a feature may use); the
 * aggregation is ours because Terminus' `HealthCheckService` knows only up or
 * down, and readiness needs a third state (a non-critical dependency down:
 * degraded, still ready), a time limit per check and a short result cache.
 * {@link HealthCheckRegistry} is exported to every module.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthCheckRegistry, ReadinessService, StartupService, DependencyChecks],
  exports: [HealthCheckRegistry, ReadinessService, TerminusModule],
})
export class HealthModule {}
