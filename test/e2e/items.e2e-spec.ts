import { bootTestApp, type TestApp } from '../support/test-app';

describe('items (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  const create = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/items', payload: body });

  it('creates, reads, updates and deletes an item', async () => {
    const created = await create({ sku: 'crud-1', name: 'Kettle', priceCents: 2599, currency: 'EUR' });
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({ sku: 'crud-1', name: 'Kettle', description: null, priceCents: 2599, currency: 'EUR' });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(item.createdAt).getTime()).not.toBeNaN();

    const read = await t.app.inject({ method: 'GET', url: `/items/${item.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(item);

    const patched = await t.app.inject({ method: 'PATCH', url: `/items/${item.id}`, payload: { name: 'Steel kettle' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: item.id, name: 'Steel kettle', sku: 'crud-1' });

    const deleted = await t.app.inject({ method: 'DELETE', url: `/items/${item.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    const gone = await t.app.inject({ method: 'GET', url: `/items/${item.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    expect(gone.json()).toMatchObject({ status: 404, detail: `Item ${item.id} does not exist.` });
  });

  it('answers 409 for a duplicate sku, on create and on update', async () => {
    expect((await create({ sku: 'dup-1', name: 'A', priceCents: 1, currency: 'EUR' })).statusCode).toBe(201);
    const duplicate = await create({ sku: 'dup-1', name: 'B', priceCents: 1, currency: 'EUR' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ status: 409, title: 'Conflict', detail: 'An item with sku dup-1 already exists.' });

    const other = (await create({ sku: 'dup-2', name: 'C', priceCents: 1, currency: 'EUR' })).json();
    const clash = await t.app.inject({ method: 'PATCH', url: `/items/${other.id}`, payload: { sku: 'dup-1' } });
    expect(clash.statusCode).toBe(409);
  });

  it('answers 404 for update and delete of an unknown id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await t.app.inject({ method: 'PATCH', url: `/items/${id}`, payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/items/${id}` })).statusCode).toBe(404);
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const [i, name] of ['zz delta', 'zz alpha', 'zz charlie', 'zz bravo', 'zz echo 100%'].entries()) {
        await create({ sku: `list-${i}`, name, priceCents: (i + 1) * 100, currency: 'USD' });
      }
    });

    it('paginates with a total count', async () => {
      const page = (await t.app.inject({ method: 'GET', url: '/items?limit=2&offset=1&sort=sku&q=ZZ' })).json();
      expect(page.limit).toBe(2);
      expect(page.offset).toBe(1);
      expect(page.total).toBe(5);
      expect(page.items.map((i: { sku: string }) => i.sku)).toEqual(['list-1', 'list-2']);
    });

    it('sorts by an allow-listed field, both directions', async () => {
      const asc = (await t.app.inject({ method: 'GET', url: '/items?sort=name&q=zz' })).json();
      expect(asc.items.map((i: { name: string }) => i.name)).toEqual(['zz alpha', 'zz bravo', 'zz charlie', 'zz delta', 'zz echo 100%']);
      const desc = (await t.app.inject({ method: 'GET', url: '/items?sort=-priceCents&limit=1&q=zz' })).json();
      expect(desc.items[0].name).toBe('zz echo 100%');
    });

    it('matches % in the filter literally', async () => {
      const page = (await t.app.inject({ method: 'GET', url: '/items?q=100%25' })).json();
      expect(page.items.map((i: { name: string }) => i.name)).toEqual(['zz echo 100%']);
      const none = (await t.app.inject({ method: 'GET', url: '/items?q=%25%25%25' })).json();
      expect(none.total).toBe(0);
    });

    it('refuses a sort field outside the allow-list and page sizes over the maximum', async () => {
      const badSort = await t.app.inject({ method: 'GET', url: '/items?sort=description' });
      expect(badSort.statusCode).toBe(400);
      expect(badSort.json().errors).toEqual([expect.objectContaining({ location: 'query', pointer: '#/sort' })]);
      const tooBig = await t.app.inject({ method: 'GET', url: '/items?limit=101' });
      expect(tooBig.statusCode).toBe(400);
      expect(tooBig.json().errors).toEqual([{ location: 'query', pointer: '#/limit', detail: 'limit must not be greater than 100' }]);
    });
  });
});
