import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Controller, Get, Logger, Req } from '@nestjs/common';
import type { FastifyRequest, InjectOptions } from 'fastify';
import { DataSource } from 'typeorm';
import { CacheResponse, CurrentPrincipal, CurrentTenant, Public, RateLimitPolicy, type Principal } from '../../src/core';
import { Item } from '../../src/features/items/entities/item.entity';
import { bootTestApp, type TestApp } from '../support/test-app';

const ACCESS = 'request completed';
let calls = 0;

/** Test-only routes: what a feature sees of the tenant, a cached and a rate-limited route, and an unscoped query. */
@Controller('tenancy-test')
class TenancyTestController {
  private readonly logger = new Logger('TenancyTest');

  constructor(private readonly dataSource: DataSource) {}

  @Get('whoami')
  whoami(@CurrentTenant() tenant: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    this.logger.log('tenancy test says hello');
    request.log.warn('tenancy test request.log line');
    return { tenant, subject: principal.subject, roles: principal.roles };
  }

  @Get('cached')
  @CacheResponse(60)
  cached() {
    return { call: ++calls };
  }

  @Get('limited')
  @RateLimitPolicy('tenancytest')
  limited() {
    return { ok: true };
  }

  /** A public route: no tenant, so a query on a tenant-scoped entity must be refused. */
  @Get('unscoped')
  @Public()
  async unscoped() {
    return { count: await this.dataSource.getRepository(Item).count() };
  }

  /** Raw SQL: not scoped by the chassis (what RLS would add on PostgreSQL). */
  @Get('raw-count')
  async rawCount() {
    const rows = await this.dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM items');
    return { count: Number(rows[0].n) };
  }
}

describe('tenancy (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp(
      { TENANT_CLAIM: 'tenant_id', TENANT_HEADER_SCOPE: 'tenants:impersonate', RATE_LIMIT_POLICIES: 'tenancytest=2/60' },
      { controllers: [TenancyTestController] },
    );
  });
  afterAll(async () => t.close());

  const ALL = 'items:read items:write';
  const as = (tenant: string | undefined, options: InjectOptions, claims: Record<string, unknown> = {}) =>
    t.app.inject({
      ...options,
      headers: {
        ...options.headers,
        ...t.authHeader({ sub: 'alice', scope: ALL, ...(tenant === undefined ? {} : { tenant_id: tenant }), ...claims }),
      },
    });
  const create = (tenant: string, body: Record<string, unknown>) => as(tenant, { method: 'POST', url: '/items', payload: body });
  const item = (sku: string, name = 'Kettle') => ({ sku, name, priceCents: 100, currency: 'EUR' });

  it('keeps two tenants with the same subject and the same item names apart on every items route (404, not 403)', async () => {
    const a = await create('acme', item('iso-a', 'Kettle'));
    const b = await create('globex', item('iso-b', 'Kettle'));
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const itemA = a.json<{ id: string }>();
    expect(a.json()).not.toHaveProperty('tenantId');

    // Read as A first, so A's item is in the item cache when B asks for it.
    expect((await as('acme', { method: 'GET', url: `/items/${itemA.id}` })).statusCode).toBe(200);
    const readByB = await as('globex', { method: 'GET', url: `/items/${itemA.id}` });
    expect(readByB.statusCode).toBe(404);
    expect(readByB.json()).toMatchObject({ status: 404, detail: `Item ${itemA.id} does not exist.` });

    const listB = await as('globex', { method: 'GET', url: '/items?q=kettle' });
    expect(listB.json()).toMatchObject({ total: 1, items: [{ sku: 'iso-b' }] });
    const listA = await as('acme', { method: 'GET', url: '/items?q=kettle' });
    expect(listA.json()).toMatchObject({ total: 1, items: [{ sku: 'iso-a' }] });

    const patchByB = await as('globex', { method: 'PATCH', url: `/items/${itemA.id}`, payload: { name: 'Stolen' } });
    expect(patchByB.statusCode).toBe(404);
    expect((await as('globex', { method: 'DELETE', url: `/items/${itemA.id}` })).statusCode).toBe(404);
    const stillA = await as('acme', { method: 'GET', url: `/items/${itemA.id}` });
    expect(stillA.statusCode).toBe(200);
    expect(stillA.json()).toMatchObject({ name: 'Kettle', version: 1 });

    // The owner in its own tenant: update and delete work.
    expect((await as('acme', { method: 'PATCH', url: `/items/${itemA.id}`, payload: { name: 'Steel kettle' } })).json()).toMatchObject({
      name: 'Steel kettle',
      version: 2,
    });
    expect((await as('acme', { method: 'DELETE', url: `/items/${itemA.id}` })).statusCode).toBe(204);
    expect((await as('globex', { method: 'GET', url: '/items?q=kettle' })).json()).toMatchObject({ total: 1 });
  });

  it('counts and pages per tenant, and takes the same sku in two tenants', async () => {
    for (let index = 0; index < 3; index += 1) expect((await create('pages-a', item(`page-${index}`, 'Lamp'))).statusCode).toBe(201);
    expect((await create('pages-b', item('page-0', 'Lamp'))).statusCode).toBe(201);
    expect((await create('pages-b', item('page-0', 'Lamp'))).statusCode).toBe(409);
    const pageA = await as('pages-a', { method: 'GET', url: '/items?q=lamp&limit=2&offset=0' });
    expect(pageA.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(pageA.json<{ items: unknown[] }>().items).toHaveLength(2);
    const pageB = await as('pages-b', { method: 'GET', url: '/items?q=lamp&limit=2&offset=0' });
    expect(pageB.json()).toMatchObject({ total: 1, items: [{ sku: 'page-0' }] });
  });

  it('keeps an admin of one tenant out of another tenant', async () => {
    const own = (await create('admin-a', item('adm-1'))).json<{ id: string }>();
    const admin = { roles: ['admin'] };
    expect((await as('admin-b', { method: 'GET', url: `/items/${own.id}` }, admin)).statusCode).toBe(404);
    expect((await as('admin-b', { method: 'GET', url: '/items?q=kettle' }, admin)).json()).toMatchObject({ total: 0 });
    // An admin of admin-a (another subject) reads it: roles count in their own tenant.
    expect((await as('admin-a', { method: 'GET', url: `/items/${own.id}` }, { ...admin, sub: 'bob' })).statusCode).toBe(200);
  });

  it('refuses a token without a valid tenant claim with a 401 naming the claim', async () => {
    for (const claims of [{}, { tenant_id: '' }, { tenant_id: 42 }, { tenant_id: 'bad tenant/x' }, { tenant_id: 'x'.repeat(129) }]) {
      const response = await t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ sub: 'alice', scope: ALL, ...claims }) });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(response.json()).toMatchObject({ status: 401, missingClaim: 'tenant_id' });
      expect(response.json<{ detail: string }>().detail).toContain('"tenant_id"');
    }
  });

  it('honours the tenant header only for a token with the scope, and drops its roles there', async () => {
    const m2m = { scope: `${ALL} tenants:impersonate`, roles: ['admin'] };
    const named = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { 'x-tenant-id': 'm2m-target', ...t.authHeader({ sub: 'svc', ...m2m }) },
    });
    expect(named.statusCode).toBe(200);
    expect(named.json()).toEqual({ tenant: 'm2m-target', subject: 'svc', roles: [] });

    // Naming its own claimed tenant keeps the roles.
    const ownTenant = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { 'x-tenant-id': 'home', ...t.authHeader({ sub: 'svc', tenant_id: 'home', ...m2m }) },
    });
    expect(ownTenant.json()).toEqual({ tenant: 'home', subject: 'svc', roles: ['admin'] });

    // Without the scope the header is ignored: the claim decides, or the token is refused.
    const ignored = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { 'x-tenant-id': 'm2m-target', ...t.authHeader({ sub: 'alice', tenant_id: 'acme', roles: ['admin'] }) },
    });
    expect(ignored.json()).toEqual({ tenant: 'acme', subject: 'alice', roles: ['admin'] });
    const noClaim = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { 'x-tenant-id': 'm2m-target', ...t.authHeader({ sub: 'alice' }) },
    });
    expect(noClaim.statusCode).toBe(401);

    // A malformed header from a token that may send one is a 401.
    const malformed = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { 'x-tenant-id': 'no spaces', ...t.authHeader({ sub: 'svc', ...m2m }) },
    });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json<{ detail: string }>().detail).toContain('x-tenant-id');

    // The header's tenant scopes rows like a claim's.
    const viaHeader = await t.app.inject({
      method: 'POST',
      url: '/items',
      payload: item('m2m-1'),
      headers: { 'x-tenant-id': 'm2m-target', ...t.authHeader({ sub: 'alice', ...m2m }) },
    });
    expect(viaHeader.statusCode).toBe(201);
    expect((await as('m2m-target', { method: 'GET', url: `/items/${viaHeader.json<{ id: string }>().id}` })).statusCode).toBe(200);
    expect((await as('acme', { method: 'GET', url: `/items/${viaHeader.json<{ id: string }>().id}` })).statusCode).toBe(404);
  });

  it('accepts a token printed by `npm run token -- --tenant acme` (scripts/token.ts)', async () => {
    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/token.ts', '--sub', 'carol', '--scope', 'items:read', '--tenant', 'acme'],
      { cwd: join(__dirname, '..', '..'), env: { PATH: process.env.PATH, NODE_ENV: 'test', TENANT_CLAIM: 'tenant_id' }, encoding: 'utf8' },
    );
    const response = await t.app.inject({
      method: 'GET',
      url: '/tenancy-test/whoami',
      headers: { authorization: `Bearer ${output.trim()}` },
    });
    expect(response.json()).toEqual({ tenant: 'acme', subject: 'carol', roles: [] });
  });

  it('puts tenant_id on every log line of the request and on its access line', async () => {
    const response = await as('logs-tenant', { method: 'GET', url: '/tenancy-test/whoami' });
    expect(response.statusCode).toBe(200);
    const requestId = response.headers['x-request-id'];
    const lines = t.logs.lines.filter((line) => line.requestId === requestId);
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['tenancy test says hello', 'tenancy test request.log line', ACCESS]),
    );
    for (const line of lines) expect(line.tenant_id).toBe('logs-tenant');
    const raw = t.logs.rawLines.filter((line) => line.includes(`"requestId":"${String(requestId)}"`));
    for (const line of raw) expect(line.match(/"tenant_id":/g)).toHaveLength(1);
  });

  it('keeps rate-limit budgets per tenant for the same subject', async () => {
    const limited = (tenant: string) => as(tenant, { method: 'GET', url: '/tenancy-test/limited' });
    expect([(await limited('rl-a')).statusCode, (await limited('rl-a')).statusCode, (await limited('rl-a')).statusCode]).toEqual([
      200, 200, 429,
    ]);
    expect((await limited('rl-b')).statusCode).toBe(200);
  });

  it('keeps cached responses per tenant for the same subject', async () => {
    const cached = (tenant: string) => as(tenant, { method: 'GET', url: '/tenancy-test/cached' });
    const first = (await cached('cache-a')).json<{ call: number }>().call;
    expect((await cached('cache-a')).json()).toEqual({ call: first });
    const other = (await cached('cache-b')).json<{ call: number }>().call;
    expect(other).not.toBe(first);
  });

  it('keeps idempotency keys per tenant for the same subject', async () => {
    const post = (tenant: string, sku: string) =>
      as(tenant, { method: 'POST', url: '/items', payload: item(sku), headers: { 'idempotency-key': 'same-key-in-two-tenants' } });
    const first = await post('idem-a', 'idem-1');
    const replay = await post('idem-a', 'idem-1');
    const otherTenant = await post('idem-b', 'idem-1');
    expect([first.statusCode, replay.statusCode, otherTenant.statusCode]).toEqual([201, 201, 201]);
    expect(replay.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect(otherTenant.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
    expect((await as('idem-b', { method: 'GET', url: `/items/${otherTenant.json<{ id: string }>().id}` })).statusCode).toBe(200);
  });

  it('refuses a query on a tenant-scoped entity without a tenant (a logged 500), and does not scope raw SQL', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/tenancy-test/unscoped' });
    expect(response.statusCode).toBe(500);
    const requestId = response.headers['x-request-id'];
    const errorLine = t.logs.lines.find((line) => line.requestId === requestId && line.level === 'error');
    expect(JSON.stringify(errorLine)).toContain('TenantScopeError');
    // Raw SQL sees every tenant's rows: the documented limit (RLS on PostgreSQL is the second line).
    const raw = await as('raw-tenant', { method: 'GET', url: '/tenancy-test/raw-count' });
    expect(raw.json<{ count: number }>().count).toBeGreaterThan(0);
  });
});
