import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from './metrics.tokens';

/** What node-postgres' `Pool` exposes about itself. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max: number };
}

/**
 * Connection-pool gauges, when the driver exposes its pool (node-postgres
 * does; better-sqlite3 has no pool). Names follow the OpenTelemetry database
 * client semantic conventions in Prometheus form:
 *
 * - `db_client_connection_count{state="used"|"idle"}`
 * - `db_client_connection_max`
 * - `db_client_connection_pending_requests` (callers waiting for a connection)
 *
 * Read at scrape time (`collect`), so they cost nothing between scrapes.
 */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.pool()) return;
    const pool = () => this.pool();
    new Gauge({
      name: 'db_client_connection_count',
      help: 'Connections in the database pool, by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'used' }, current ? current.totalCount - current.idleCount : 0);
      },
    });
    new Gauge({
      name: 'db_client_connection_max',
      help: 'Largest number of connections the database pool opens.',
      registers: [this.registry],
      collect() {
        this.set(pool()?.options.max ?? 0);
      },
    });
    new Gauge({
      name: 'db_client_connection_pending_requests',
      help: 'Callers waiting for a database connection.',
      registers: [this.registry],
      collect() {
        this.set(pool()?.waitingCount ?? 0);
      },
    });
  }

  private pool(): PgPool | undefined {
    if (this.dataSource.options.type !== 'postgres') return undefined;
    const master = (this.dataSource.driver as unknown as { master?: PgPool }).master;
    return master && typeof master.totalCount === 'number' ? master : undefined;
  }
}
