import type { InjectOptions } from 'fastify';
import { bootTestApp, type TestApp } from '../../support/test-app';

describe('items (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  const ALL = 'items:read items:write';
  /** A request as `sub` (default alice) with read and write scopes. */
  const as = (options: InjectOptions, sub = 'alice', scope = ALL) =>
    t.app.inject({ ...options, headers: { ...options.headers, ...t.authHeader({ sub, scope }) } });
  const create = (body: Record<string, unknown>, sub = 'alice') => as({ method: 'POST', url: '/items', payload: body }, sub);

  it('creates, reads, updates and deletes an item', async () => {
    const created = await create({ sku: 'crud-1', name: 'Kettle', priceCents: 2599, currency: 'EUR' });
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({ ownerId: 'alice', sku: 'crud-1', name: 'Kettle', description: null, priceCents: 2599, currency: 'EUR' });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(item.createdAt).getTime()).not.toBeNaN();

    const read = await as({ method: 'GET', url: `/items/${item.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(item);

    const patched = await as({ method: 'PATCH', url: `/items/${item.id}`, payload: { name: 'Steel kettle' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ id: item.id, name: 'Steel kettle', sku: 'crud-1' });

    const deleted = await as({ method: 'DELETE', url: `/items/${item.id}` });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    const gone = await as({ method: 'GET', url: `/items/${item.id}` });
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
    const clash = await as({ method: 'PATCH', url: `/items/${other.id}`, payload: { sku: 'dup-1' } });
    expect(clash.statusCode).toBe(409);
  });

  it('answers 404 for update and delete of an unknown id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await as({ method: 'PATCH', url: `/items/${id}`, payload: { name: 'x' } })).statusCode).toBe(404);
    expect((await as({ method: 'DELETE', url: `/items/${id}` })).statusCode).toBe(404);
  });

  it('answers 400 naming each bad field once: a missing field "is required", an unknown one "should not exist" (the README example)', async () => {
    const bad = await create({ sku: 'x', isAdmin: true });
    expect(bad.statusCode).toBe(400);
    const problem = bad.json();
    expect(problem.detail).toBe('5 invalid fields: body #/isAdmin, body #/sku, body #/name, body #/priceCents, body #/currency');
    expect(problem.errors).toEqual([
      { location: 'body', pointer: '#/isAdmin', detail: 'property isAdmin should not exist' },
      { location: 'body', pointer: '#/sku', detail: 'sku must be 3-64 letters, digits, "-" or "_"' },
      { location: 'body', pointer: '#/name', detail: 'name is required' },
      { location: 'body', pointer: '#/priceCents', detail: 'priceCents is required' },
      { location: 'body', pointer: '#/currency', detail: 'currency is required' },
    ]);
    // A present but wrong value keeps every rule it breaks, and still counts as one field.
    const wrong = await create({ sku: 'ok-sku', name: 'Kettle', priceCents: -1.5, currency: 'EUR' });
    expect(wrong.json().detail).toBe('1 invalid field: body #/priceCents');
    expect(wrong.json().errors.map((e: { detail: string }) => e.detail)).toEqual([
      'priceCents must not be less than 0',
      'priceCents must be an integer number',
    ]);
  });

  describe('listing', () => {
    beforeAll(async () => {
      for (const [i, name] of ['zz delta', 'zz alpha', 'zz charlie', 'zz bravo', 'zz echo 100%'].entries()) {
        await create({ sku: `list-${i}`, name, priceCents: (i + 1) * 100, currency: 'USD' });
      }
    });

    it('paginates with a total count', async () => {
      const page = (await as({ method: 'GET', url: '/items?limit=2&offset=1&sort=sku&q=ZZ' })).json();
      expect(page.limit).toBe(2);
      expect(page.offset).toBe(1);
      expect(page.total).toBe(5);
      expect(page.items.map((i: { sku: string }) => i.sku)).toEqual(['list-1', 'list-2']);
    });

    it('sorts by an allow-listed field, both directions', async () => {
      const asc = (await as({ method: 'GET', url: '/items?sort=name&q=zz' })).json();
      expect(asc.items.map((i: { name: string }) => i.name)).toEqual(['zz alpha', 'zz bravo', 'zz charlie', 'zz delta', 'zz echo 100%']);
      const desc = (await as({ method: 'GET', url: '/items?sort=-priceCents&limit=1&q=zz' })).json();
      expect(desc.items[0].name).toBe('zz echo 100%');
    });

    it('matches % in the filter literally', async () => {
      const page = (await as({ method: 'GET', url: '/items?q=100%25' })).json();
      expect(page.items.map((i: { name: string }) => i.name)).toEqual(['zz echo 100%']);
      const none = (await as({ method: 'GET', url: '/items?q=%25%25%25' })).json();
      expect(none.total).toBe(0);
    });

    it('refuses a sort field outside the allow-list and page sizes over the maximum', async () => {
      const badSort = await as({ method: 'GET', url: '/items?sort=description' });
      expect(badSort.statusCode).toBe(400);
      expect(badSort.json().errors).toEqual([expect.objectContaining({ location: 'query', pointer: '#/sort' })]);
      const tooBig = await as({ method: 'GET', url: '/items?limit=101' });
      expect(tooBig.statusCode).toBe(400);
      expect(tooBig.json().errors).toEqual([{ location: 'query', pointer: '#/limit', detail: 'limit must not be greater than 100' }]);
    });
  });

  describe('ownership (no IDOR)', () => {
    let bobsItem: { id: string };
    beforeAll(async () => {
      const created = await create({ sku: 'own-bob-1', name: 'Bob only', priceCents: 5, currency: 'EUR' }, 'bob');
      expect(created.statusCode).toBe(201);
      bobsItem = created.json();
      expect(bobsItem).toMatchObject({ ownerId: 'bob' });
    });

    it('answers 404 to another principal reading, changing or deleting an item, exactly as for a missing one', async () => {
      const read = await as({ method: 'GET', url: `/items/${bobsItem.id}` }, 'mallory');
      expect(read.statusCode).toBe(404);
      expect(read.json().detail).toBe(`Item ${bobsItem.id} does not exist.`);
      expect((await as({ method: 'PATCH', url: `/items/${bobsItem.id}`, payload: { name: 'pwned' } }, 'mallory')).statusCode).toBe(404);
      expect((await as({ method: 'DELETE', url: `/items/${bobsItem.id}` }, 'mallory')).statusCode).toBe(404);
      const still = await as({ method: 'GET', url: `/items/${bobsItem.id}` }, 'bob');
      expect(still.statusCode).toBe(200);
      expect(still.json().name).toBe('Bob only');
    });

    it('lists only the caller’s own items', async () => {
      const bobs = (await as({ method: 'GET', url: '/items?limit=100' }, 'bob')).json();
      expect(bobs.total).toBe(1);
      expect(bobs.items.map((i: { sku: string }) => i.sku)).toEqual(['own-bob-1']);
      const mallorys = (await as({ method: 'GET', url: '/items' }, 'mallory')).json();
      expect(mallorys).toMatchObject({ total: 0, items: [] });
    });

    it('lets an admin read every item, but not change another’s', async () => {
      const admin = t.authHeader({ sub: 'root', scope: ALL, roles: ['admin'] });
      const read = await t.app.inject({ method: 'GET', url: `/items/${bobsItem.id}`, headers: admin });
      expect(read.statusCode).toBe(200);
      const all = (await t.app.inject({ method: 'GET', url: '/items?limit=100', headers: admin })).json();
      const owners = new Set(all.items.map((i: { ownerId: string }) => i.ownerId));
      expect(owners).toEqual(new Set(['alice', 'bob']));
      const patch = await t.app.inject({ method: 'PATCH', url: `/items/${bobsItem.id}`, payload: { name: 'x' }, headers: admin });
      expect(patch.statusCode).toBe(404);
    });
  });

  describe('authentication and scopes', () => {
    it('answers 401 with WWW-Authenticate: Bearer without a token', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/items' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/items' });
    });

    it('answers 403 naming the missing scope: reading without items:read, writing without items:write', async () => {
      const readOnly = await as(
        { method: 'POST', url: '/items', payload: { sku: 'ro-1', name: 'x', priceCents: 1, currency: 'EUR' } },
        'alice',
        'items:read',
      );
      expect(readOnly.statusCode).toBe(403);
      expect(readOnly.json()).toMatchObject({ status: 403, missingScopes: ['items:write'] });
      expect(readOnly.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="items:write"');
      const writeOnly = await as({ method: 'GET', url: '/items' }, 'alice', 'items:write');
      expect(writeOnly.statusCode).toBe(403);
      expect(writeOnly.json().missingScopes).toEqual(['items:read']);
    });

    it('checks the scope before validating the body or touching the database', async () => {
      const response = await as({ method: 'POST', url: '/items', payload: { nonsense: true } }, 'alice', '');
      expect(response.statusCode).toBe(403);
    });
  });
});
