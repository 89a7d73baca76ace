import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { METRICS_REGISTRY } from './metrics.tokens';

/**
 * prom-client's default process and Node.js metrics (CPU, memory, event-loop
 * lag, GC, handles), on this app's registry, labelled `service=<SERVICE_NAME>`.
 */
@Injectable()
export class DefaultMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry, labels: { service: this.config.app.serviceName } });
  }
}
