import type { InjectOptions } from 'fastify';
import { DataSource } from 'typeorm';
import { bootTestApp, type TestApp } from '../support/test-app';

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
