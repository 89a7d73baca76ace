import type { DataSource, QueryRunner } from 'typeorm';
import { currentRequestContext } from '../context/request-context';

/** The PostgreSQL setting row-level security policies read (`current_setting('app.tenant_id', true)`). */
export const TENANT_SETTING = 'app.tenant_id';

/** What the setting holds when no tenant is known: contains a space, so it equals no tenant id and matches no row. */
export const NO_TENANT = 'no tenant';

/** The tenant each pooled connection's session setting holds (a connection serves one query runner at a time). */
const sessionTenant = new WeakMap<object, string>();

type Runner = QueryRunner & { connect(): Promise<{ query(sql: string, parameters: unknown[]): Promise<unknown> }> };
const patched = new WeakSet<object>();

/** The data sources whose connections carry the tenant setting. */
const enforcedOn = new WeakSet<DataSource>();

/**
 * Keeps `app.tenant_id` on each PostgreSQL connection of `dataSource` equal
 * to the current request's tenant ({@link NO_TENANT} outside one), for the
 * row-level security policies of tenant-scoped tables
 * (`tenantRowLevelSecurity()`, docs/tenancy.md): even raw SQL then sees the
 * request's tenant's rows only.
 *
 * Set per session with `set_config(…, false)` before a query, and only when
 * the connection holds another tenant: one extra round trip when a pooled
 * connection changes tenant, none otherwise. A rollback may undo it, so the
 * connection's value is forgotten after one. A no-op on SQLite.
 */
export function enforceTenantSetting(dataSource: DataSource): void {
  if (dataSource.options.type !== 'postgres') return;
  const runner = dataSource.createQueryRunner();
  const prototype = Object.getPrototypeOf(runner) as Runner;
  void runner.release();
  if (!patched.has(prototype)) patchQueryRunner(prototype);
  patched.add(prototype);
  enforcedOn.add(dataSource);
}

/** Wraps the query runner's `query` (sync the setting first) and `rollbackTransaction` (forget it). */
function patchQueryRunner(prototype: Runner): void {
  const query = prototype.query;
  prototype.query = async function (this: Runner, sql: string, ...rest: unknown[]) {
    if (!/^\s*ROLLBACK/i.test(sql) && enforcedOn.has(this.connection)) await syncSession(this);
    return (query as (...args: unknown[]) => Promise<unknown>).call(this, sql, ...rest);
  } as Runner['query'];
  const rollbackTransaction = prototype.rollbackTransaction;
  prototype.rollbackTransaction = async function (this: Runner & { databaseConnection?: object }) {
    try {
      return await rollbackTransaction.call(this);
    } finally {
      if (this.databaseConnection) sessionTenant.delete(this.databaseConnection);
    }
  };
}

async function syncSession(runner: Runner): Promise<void> {
  const connection = await runner.connect();
  const tenant = currentRequestContext()?.tenantId ?? NO_TENANT;
  if (sessionTenant.get(connection) === tenant) return;
  await connection.query('SELECT set_config($1, $2, false)', [TENANT_SETTING, tenant]);
  sessionTenant.set(connection, tenant);
}
