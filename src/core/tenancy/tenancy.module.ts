import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { enforceTenantSetting } from './postgres-tenant-setting';
import { enforceTenantScope } from './tenant-query-scope';

/**
 * Multi-tenancy's row scoping (docs/tenancy.md): with tenancy on
 * (`TENANT_CLAIM`), the app's data source scopes `@TenantScoped()` entities
 * to the request's tenant, and on PostgreSQL each connection carries the
 * tenant for row-level security (`app.tenant_id`). The tenant itself is resolved by the
 * authentication guard; with tenancy off this module does nothing.
 */
@Module({})
export class TenancyModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.config.tenancy.enabled) return;
    enforceTenantScope(this.dataSource);
    enforceTenantSetting(this.dataSource);
  }
}
