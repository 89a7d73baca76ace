import { Controller, Get, Inject, Res, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Public } from '../access/public.decorator';
import { SkipThrottle } from '../access/throttle.decorator';
import { METRICS_REGISTRY } from './metrics.tokens';

/**
 * The scrape controller at `path` (`METRICS_PATH`, default `/metrics`): this
 * app's own registry in the Prometheus text format.
 *
 * Public and never rate-limited: Prometheus sends no credentials and must not
 * be refused. Keep it off the public ingress (or use `METRICS_PORT`).
 */
export function metricsControllerAt(path: string): Type {
  @ApiExcludeController()
  @Public()
  @SkipThrottle()
  @Controller(path)
  class MetricsController {
    constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

    @Get()
    async index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
      void response.header('content-type', this.registry.contentType);
      return this.registry.metrics();
    }
  }
  return MetricsController;
}
