import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '../access/throttle.decorator';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/public.decorator';
import { HEALTH_PATH } from '../routing/probe-paths';
import { httpStatusOf, type HealthReport } from './health-check';
import { ReadinessService } from './readiness.service';
import { StartupService } from './startup.service';

/**
 * The Kubernetes probes. Public (the kubelet sends no token), never rate
 * limited, not access-logged or traced by default, not in the OpenAPI document.
 * Bodies are JSON (`HealthReport`), 200 or 503; never cached by intermediaries.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller(HEALTH_PATH)
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly startup: StartupService,
  ) {}

  /**
   * Liveness: 200 while the process can answer at all. It checks no
   * dependency: a database outage must not make Kubernetes restart every pod
   * (see docs/health-checks.md). It stays 200 during a graceful shutdown.
   */
  @Get('live')
  @Header('cache-control', 'no-store')
  live(): HealthReport {
    return { status: 'ok', checks: {} };
  }

  /** Readiness: 503 while a critical dependency is down or the process is shutting down. */
  @Get('ready')
  @Header('cache-control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return send(reply, await this.readiness.evaluate());
  }

  /** Startup: 503 until migrations are applied and warm-up is complete. */
  @Get('startup')
  @Header('cache-control', 'no-store')
  async started(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return send(reply, await this.startup.evaluate());
  }
}

function send(reply: FastifyReply, report: HealthReport): HealthReport {
  void reply.status(httpStatusOf(report));
  return report;
}
