import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { Public } from '../access/public.decorator';
import { METRICS_REGISTRY } from './metrics.tokens';

/**
 * The scrape endpoint (`METRICS_PATH`, default `/metrics`), in the Prometheus
 * text format. It serves this app's own registry, not prom-client's global one
 * that the base controller reads.
 *
 * Public and never rate-limited: Prometheus sends no credentials and must not
 * be refused. Keep it off the public ingress (or use `METRICS_PORT`).
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller()
export class MetricsController extends PrometheusController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {
    super();
  }

  @Get()
  override async index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    void response.header('content-type', this.registry.contentType);
    return this.registry.metrics();
  }
}
