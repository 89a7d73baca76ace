import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { HealthCheckRegistry } from '../health/health-check.registry';
import { upstreamToken } from './inject-upstream.decorator';
import { UpstreamClients } from './upstream-clients';
import { addUpstreamReadinessChecks } from './upstream-readiness';

/**
 * The outbound HTTP client (docs/outbound-http.md): {@link UpstreamClients}
 * and one `@InjectUpstream('<name>')` provider per configured upstream.
 * Why undici and cockatiel: docs/adr/0018-outbound-http-client.md.
 */
@Global()
@Module({})
export class HttpClientModule implements OnModuleInit {
  constructor(
    private readonly clients: UpstreamClients,
    private readonly health: HealthCheckRegistry,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const named = Object.keys(config.httpClient.upstreams).map((name) => ({
      provide: upstreamToken(name),
      inject: [UpstreamClients],
      useFactory: (clients: UpstreamClients) => clients.get(name),
    }));
    return {
      module: HttpClientModule,
      providers: [UpstreamClients, ...named],
      exports: [UpstreamClients, ...named.map((provider) => provider.provide)],
    };
  }

  onModuleInit(): void {
    addUpstreamReadinessChecks(this.health, this.clients);
  }
}
