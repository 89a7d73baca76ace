import type { QueryRunner } from 'typeorm';
import { TENANT_SETTING } from './postgres-tenant-setting';

/**
 * The row-level security of a `@TenantScoped()` table on PostgreSQL
 * (docs/tenancy.md), for its migration: RLS enabled and forced (so it binds
 * the table's owner too, when the app connects as the owner), and a policy
 * letting a session read and write only the rows of the tenant in
 * `app.tenant_id`, which the chassis sets per connection with tenancy on.
 * Unset (tenancy off), the session's tenant is `''`: the tenant of every
 * row written with tenancy off, so a single-tenant service sees all its rows.
 *
 * Superusers and roles with BYPASSRLS are never bound: the app must not
 * connect as one. A no-op on SQLite (no RLS there).
 *
 * @param table the table name; the policy is `<table>_tenant_isolation`.
 */
export async function tenantRowLevelSecurity(queryRunner: QueryRunner, table: string): Promise<void> {
  if (queryRunner.connection.options.type !== 'postgres') return;
  const quoted = `"${table.replaceAll('"', '""')}"`;
  const sessionTenant = `COALESCE(current_setting('${TENANT_SETTING}', true), '')`;
  await queryRunner.query(`ALTER TABLE ${quoted} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${quoted} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(
    `CREATE POLICY "${table}_tenant_isolation" ON ${quoted} USING (tenant_id = ${sessionTenant}) WITH CHECK (tenant_id = ${sessionTenant})`,
  );
}

/** Undoes {@link tenantRowLevelSecurity} (a migration's `down`). A no-op on SQLite. */
export async function dropTenantRowLevelSecurity(queryRunner: QueryRunner, table: string): Promise<void> {
  if (queryRunner.connection.options.type !== 'postgres') return;
  const quoted = `"${table.replaceAll('"', '""')}"`;
  await queryRunner.query(`DROP POLICY IF EXISTS "${table}_tenant_isolation" ON ${quoted}`);
  await queryRunner.query(`ALTER TABLE ${quoted} NO FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${quoted} DISABLE ROW LEVEL SECURITY`);
}
