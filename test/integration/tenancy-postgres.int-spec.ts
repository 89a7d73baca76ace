import { Controller, Get } from '@nestjs/common';
import type { InjectOptions } from 'fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Public } from '../../src/core';
import { bootTestApp, type TestApp } from '../support/test-app';
import { resetTestDatabase } from '../support/test-database';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Multi-tenancy on PostgreSQL (docs/tenancy.md): the items routes keep two tenants with the same subject apart. */
describe('tenancy on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ DATABASE_URL: url, TENANT_CLAIM: 'org.id' });
  });
  afterAll(async () => t.close());

  const as = (tenant: string, options: InjectOptions, claims: Record<string, unknown> = {}) =>
    t.app.inject({
      ...options,
      headers: { ...options.headers, ...t.authHeader({ sub: 'alice', scope: 'items:read items:write', org: { id: tenant }, ...claims }) },
    });
  const create = (tenant: string, sku: string) =>
    as(tenant, { method: 'POST', url: '/items', payload: { sku, name: 'Kettle', priceCents: 100, currency: 'EUR' } });

  it('has migrations that match the entities exactly (the tenant column, its index, skus unique per tenant)', async () => {
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('keeps two tenants with the same subject apart on every items route (404, not 403), with totals per tenant', async () => {
    const a = await create('pg-a', 'same-sku');
    const b = await create('pg-b', 'same-sku');
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const idA = a.json<{ id: string }>().id;
    expect((await as('pg-a', { method: 'GET', url: `/items/${idA}` })).statusCode).toBe(200);
    expect((await as('pg-b', { method: 'GET', url: `/items/${idA}` })).statusCode).toBe(404);
    expect((await as('pg-b', { method: 'GET', url: `/items/${idA}` }, { roles: ['admin'] })).statusCode).toBe(404);
    expect((await as('pg-b', { method: 'PATCH', url: `/items/${idA}`, payload: { name: 'Stolen' } })).statusCode).toBe(404);
    expect((await as('pg-b', { method: 'DELETE', url: `/items/${idA}` })).statusCode).toBe(404);
    expect((await as('pg-b', { method: 'GET', url: '/items?limit=1' })).json()).toMatchObject({
      total: 1,
      items: [{ id: b.json<{ id: string }>().id }],
    });
    expect((await as('pg-a', { method: 'GET', url: `/items/${idA}` })).json()).toMatchObject({ name: 'Kettle', version: 1 });
    const rows = await t.app.get(DataSource).query<{ tenant_id: string }[]>('SELECT tenant_id FROM items ORDER BY tenant_id');
    expect(rows).toEqual([{ tenant_id: 'pg-a' }, { tenant_id: 'pg-b' }]);
    expect((await as('pg-a', { method: 'DELETE', url: `/items/${idA}` })).statusCode).toBe(204);
  });

  it('refuses a token without the nested tenant claim with a 401 naming it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ sub: 'alice', scope: 'items:read' }) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ missingClaim: 'org.id' });
  });
});

/** Test-only routes that bypass the chassis's query scoping with raw SQL, as a careless feature could. */
@Controller('rls-test')
class RawSqlController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('count')
  async count() {
    return this.rawCount();
  }

  @Get('public-count')
  @Public()
  async publicCount() {
    return this.rawCount();
  }

  private async rawCount() {
    const rows = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM items');
    return { count: rows[0].n };
  }
}

/**
 * Row-level security (the second line of defence): the app connects as a role
 * that is neither a superuser nor exempt from RLS (superusers always bypass
 * it). It owns the tables it migrates, so the policy binds through
 * FORCE ROW LEVEL SECURITY, as docs/tenancy.md describes.
 */
describe('tenancy on PostgreSQL: row-level security', () => {
  const role = 'h_tenancy_rls_app';
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const appUrl = Object.assign(new URL(url), { username: role, password: 'rls-test-only' }).toString();
  let t: TestApp;

  beforeAll(async () => {
    await resetTestDatabase(url);
    await admin(async (client) => {
      await client.query(`DROP ROLE IF EXISTS ${role}`);
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'rls-test-only' NOSUPERUSER NOBYPASSRLS`);
      await client.query(`GRANT CONNECT ON DATABASE "${database}" TO ${role}`);
      await client.query(`GRANT ALL ON SCHEMA public TO ${role}`);
    });
    t = await bootTestApp({ DATABASE_URL: appUrl, TENANT_CLAIM: 'tenant_id' }, { keepDatabase: true, controllers: [RawSqlController] });
  });
  afterAll(async () => {
    await t?.close();
    await resetTestDatabase(url);
    await admin(async (client) => {
      await client.query(`DROP OWNED BY ${role}`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  const as = (tenant: string, options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...t.authHeader({ sub: 'alice', scope: 'items:read items:write', tenant_id: tenant }) } });
  const create = (tenant: string, sku: string) =>
    as(tenant, { method: 'POST', url: '/items', payload: { sku, name: 'Kettle', priceCents: 100, currency: 'EUR' } });

  it('shows a raw, unscoped query only the rows of the request’s tenant, and none without a tenant', async () => {
    expect((await create('rls-a', 'r-1')).statusCode).toBe(201);
    expect((await create('rls-b', 'r-1')).statusCode).toBe(201);
    expect((await create('rls-b', 'r-2')).statusCode).toBe(201);
    // Alternate tenants so pooled connections change tenant between requests.
    for (let round = 0; round < 3; round += 1) {
      expect((await as('rls-a', { method: 'GET', url: '/rls-test/count' })).json()).toEqual({ count: 1 });
      expect((await as('rls-b', { method: 'GET', url: '/rls-test/count' })).json()).toEqual({ count: 2 });
      expect((await t.app.inject({ method: 'GET', url: '/rls-test/public-count' })).json()).toEqual({ count: 0 });
    }
    const all = await admin(async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0].n);
    expect(all).toBe(3);
  });

  it("lets a service with tenancy off, on the same role and tables, work with its own rows (tenant '')", async () => {
    const off = await bootTestApp({ DATABASE_URL: appUrl }, { keepDatabase: true });
    try {
      const headers = off.authHeader({ sub: 'alice', scope: 'items:read items:write' });
      const payload = { sku: 'off-1', name: 'Kettle', priceCents: 100, currency: 'EUR' };
      expect((await off.app.inject({ method: 'POST', url: '/items', payload, headers })).statusCode).toBe(201);
      expect((await off.app.inject({ method: 'GET', url: '/items', headers })).json()).toMatchObject({
        total: 1,
        items: [{ sku: 'off-1' }],
      });
    } finally {
      await off.close();
    }
  });

  it('refuses a raw write of a row into another tenant (the policy’s WITH CHECK)', async () => {
    const dataSource = t.app.get(DataSource);
    // Outside a request the session holds no tenant: the insert cannot name one.
    await expect(
      dataSource.query(
        `INSERT INTO items (owner_id, sku, name, price_cents, currency, tenant_id) VALUES ('mallory', 'x-1', 'X', 1, 'EUR', 'rls-a')`,
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
