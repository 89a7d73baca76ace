import { DataSource, type Repository } from 'typeorm';
import { runInRequestContext } from '../../src/core/context/request-context';
import { TenantScopeError } from '../../src/core';
import { Item } from '../../src/features/items/entities/item.entity';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The query scope of `@TenantScoped()` entities across TypeORM's API
 * (docs/tenancy.md), on the real app's data source: repository calls and
 * query builders run in a request context holding a tenant, as they do
 * inside a request.
 */
describe('tenant query scope (e2e)', () => {
  let t: TestApp;
  let items: Repository<Item>;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await bootTestApp({ TENANT_CLAIM: 'tenant_id' });
    dataSource = t.app.get(DataSource);
    items = dataSource.getRepository(Item);
  });
  afterAll(async () => t.close());

  const asTenant = <T>(tenantId: string, work: () => Promise<T>): Promise<T> =>
    runInRequestContext(
      { requestId: `scope-${tenantId}`, correlationId: `scope-${tenantId}`, signal: new AbortController().signal, tenantId },
      work,
    );
  const row = (sku: string) => ({ sku, name: 'Scoped', priceCents: 1, currency: 'EUR', ownerId: 'alice' });
  // The driver's parameter placeholder: this suite also runs on PostgreSQL (npm run test:cov).
  const placeholder = () => (dataSource.options.type === 'postgres' ? '$1' : '?');
  const tenantsOf = async (sku: string) =>
    (
      await dataSource.query<{ tenant_id: string }[]>(`SELECT tenant_id FROM items WHERE sku = ${placeholder()} ORDER BY tenant_id`, [sku])
    ).map((r) => r.tenant_id);

  it('stamps the tenant on every insert path, overwriting a tenant the caller set, and keeps it out of the entity', async () => {
    const saved = await asTenant('qa', () => items.save(items.create(row('ins-save'))));
    expect(JSON.parse(JSON.stringify(saved))).not.toHaveProperty('tenantId');
    await asTenant('qa', () => items.insert({ ...row('ins-insert'), tenantId: 'qb' } as Partial<Item>));
    await asTenant('qa', () =>
      dataSource
        .createQueryBuilder()
        .insert()
        .into(Item)
        .values({ ...row('ins-builder'), tenantId: 'qb' } as Partial<Item>)
        .callListeners(false)
        .execute(),
    );
    for (const sku of ['ins-save', 'ins-insert', 'ins-builder']) expect(await tenantsOf(sku)).toEqual(['qa']);
    const loaded = await asTenant('qa', () => items.findOneByOrFail({ sku: 'ins-save' }));
    expect(Object.keys(loaded)).not.toContain('tenantId');
  });

  it('scopes selects, counts and exists, also a builder whose WHERE has an OR', async () => {
    await asTenant('sa', () => items.save([items.create(row('sel-1')), items.create(row('sel-2'))]));
    await asTenant('sb', () => items.save(items.create(row('sel-1'))));
    const orQuery = () => items.createQueryBuilder('item').where('item.sku = :a OR item.sku = :b', { a: 'sel-1', b: 'sel-2' }).getMany();
    expect((await asTenant('sa', orQuery)).map((item) => item.sku).sort()).toEqual(['sel-1', 'sel-2']);
    expect((await asTenant('sb', orQuery)).map((item) => item.sku)).toEqual(['sel-1']);
    expect(await asTenant('sc', orQuery)).toEqual([]);
    expect(await asTenant('sb', () => items.count())).toBe(1);
    expect(await asTenant('sc', () => items.existsBy({ sku: 'sel-2' }))).toBe(false);
    expect(await asTenant('sa', () => items.findAndCount({ take: 1 }))).toEqual([[expect.objectContaining({ sku: 'sel-1' })], 2]);
    expect(await asTenant('sa', () => dataSource.manager.countBy(Item, { sku: 'sel-2' }))).toBe(1);
  });

  it('scopes updates and deletes by criteria and through builders', async () => {
    await asTenant('ua', () => items.save(items.create(row('upd-1'))));
    expect((await asTenant('ub', () => items.update({ sku: 'upd-1' }, { name: 'Changed' }))).affected).toBe(0);
    const builderUpdate = () =>
      items.createQueryBuilder().update(Item).set({ name: 'Changed' }).where('sku = :sku', { sku: 'upd-1' }).execute();
    expect((await asTenant('ub', builderUpdate)).affected).toBe(0);
    expect((await asTenant('ub', () => items.delete({ sku: 'upd-1' }))).affected).toBe(0);
    expect((await asTenant('ub', () => items.createQueryBuilder().delete().from(Item).where('1 = 1').execute())).affected).toBe(0);
    expect((await asTenant('ua', () => items.findOneByOrFail({ sku: 'upd-1' }))).name).toBe('Scoped');
    expect((await asTenant('ua', builderUpdate)).affected).toBe(1);
    expect((await asTenant('ua', () => items.delete({ sku: 'upd-1' }))).affected).toBe(1);
  });

  it('refuses to move a row to another tenant', async () => {
    await asTenant('ma', () => items.save(items.create(row('move-1'))));
    await expect(asTenant('ma', () => items.update({ sku: 'move-1' }, { tenantId: 'mb' } as Partial<Item>))).rejects.toBeInstanceOf(
      TenantScopeError,
    );
    expect(await tenantsOf('move-1')).toEqual(['ma']);
  });

  it("upserts within the tenant, and refuses an upsert whose conflict target could reach another tenant's row", async () => {
    const a = await asTenant('pa', () => items.save(items.create(row('ups-1'))));
    // On the primary key: tenant pb naming pa's id would overwrite pa's row.
    await expect(asTenant('pb', () => items.upsert({ ...row('ups-1'), id: a.id, name: 'Hijacked' }, ['id']))).rejects.toThrow(
      /upsert of Item on \(id\) could update another tenant's row: its conflict target must include tenant_id/,
    );
    await expect(
      asTenant('pb', () =>
        dataSource
          .createQueryBuilder()
          .insert()
          .into(Item)
          .values({ ...row('ups-1'), name: 'Hijacked' })
          .orUpdate(['name'], ['sku'])
          .execute(),
      ),
    ).rejects.toBeInstanceOf(TenantScopeError);
    expect((await asTenant('pa', () => items.findOneByOrFail({ id: a.id }))).name).toBe('Scoped');
    expect(await tenantsOf('ups-1')).toEqual(['pa']);

    // On the tenant's own unique key (tenant_id, sku), by property paths or by the index's name: each tenant its own row.
    await asTenant('pa', () => items.upsert({ ...row('ups-1'), name: 'Updated by pa' }, ['tenantId', 'sku'] as never));
    await asTenant('pb', () => items.upsert({ ...row('ups-1'), name: 'Created by pb' }, ['tenantId', 'sku'] as never));
    // By constraint name (ON CONFLICT ON CONSTRAINT, PostgreSQL only; the SQL is built, not run): known to include tenant_id, or refused.
    const byConstraint = (name: string) => async () =>
      dataSource.createQueryBuilder().insert().into(Item).values(row('ups-1')).orUpdate(['name'], name).getQuery();
    expect(await asTenant('pb', byConstraint('UQ_items_tenant_sku'))).toContain('ON CONFLICT ON CONSTRAINT');
    await expect(asTenant('pb', byConstraint('UQ_somewhere_else'))).rejects.toThrow(/on constraint UQ_somewhere_else could update/);
    expect(await tenantsOf('ups-1')).toEqual(['pa', 'pb']);
    expect((await asTenant('pa', () => items.findOneByOrFail({ sku: 'ups-1' }))).name).toBe('Updated by pa');
    expect((await asTenant('pb', () => items.findOneByOrFail({ sku: 'ups-1' }))).name).toBe('Created by pb');
  });

  it('refuses every query on a tenant-scoped entity outside a request with a tenant; raw SQL is not scoped', async () => {
    await expect(items.find()).rejects.toBeInstanceOf(TenantScopeError);
    await expect(items.count()).rejects.toBeInstanceOf(TenantScopeError);
    await expect(items.insert(row('no-tenant'))).rejects.toBeInstanceOf(TenantScopeError);
    await expect(items.delete({ sku: 'sel-1' })).rejects.toThrow(/without a tenant/);
    expect(await tenantsOf('sel-1')).toEqual(['sa', 'sb']);
  });
});
