import type { InjectOptions } from 'fastify';
import { TenantCacheController } from '../support/tenancy/tenant-cache.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * AppCache keys are the tenant's (docs/tenancy.md): a feature writing the same
 * key in two tenants writes two entries, without naming the tenant itself.
 */
describe('AppCache per tenant (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ TENANT_CLAIM: 'tenant_id' }, { controllers: [TenantCacheController] });
  });
  afterAll(async () => t.close());

  const as = (tenant: string, options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...options.headers, ...t.authHeader({ sub: 'alice', tenant_id: tenant }) } });
  const read = async (tenant: string, key: string) => (await as(tenant, { method: 'GET', url: `/tenant-cache-test/notes/${key}` })).json();
  const write = (tenant: string, key: string, text: string) =>
    as(tenant, { method: 'PUT', url: `/tenant-cache-test/notes/${key}`, payload: { text } });

  it("keeps tenant A's entry invisible to tenant B, under the same key and subject", async () => {
    expect((await write('acme', 'n1', 'acme secret')).statusCode).toBe(204);
    expect(await read('globex', 'n1')).toEqual({ text: null });
    expect((await write('globex', 'n1', 'globex note')).statusCode).toBe(204);
    expect(await read('acme', 'n1')).toEqual({ text: 'acme secret' });
    expect(await read('globex', 'n1')).toEqual({ text: 'globex note' });
  });

  it("keeps a tenant id that looks like another tenant's key prefix apart", async () => {
    await write('a', 'b', 'tenant a');
    expect(await read('a:b', 'b')).toEqual({ text: null });
  });

  it('invalidates by prefix within the tenant only', async () => {
    await write('acme', 'n2', 'acme');
    await write('globex', 'n2', 'globex');
    expect((await as('globex', { method: 'DELETE', url: '/tenant-cache-test/notes' })).statusCode).toBe(204);
    expect(await read('globex', 'n2')).toEqual({ text: null });
    expect(await read('acme', 'n2')).toEqual({ text: 'acme' });
  });

  it('loads a wrapped value once per tenant, never serving one tenant’s load to another', async () => {
    const wrapped = async (tenant: string) =>
      (await as(tenant, { method: 'GET', url: '/tenant-cache-test/wrapped' })).json<{ load: number }>().load;
    const acme = await wrapped('acme');
    const globex = await wrapped('globex');
    expect(globex).not.toBe(acme);
    expect(await wrapped('acme')).toBe(acme);
    expect(await wrapped('globex')).toBe(globex);
  });
});
