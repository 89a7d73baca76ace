import { testDatabaseUrl } from '../support/test-database';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Two instances of the service on one PostgreSQL database, as two replicas behind a load balancer. */
describe('conditional writes across two app instances (PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    expect(testDatabaseUrl()).toMatch(/^postgres/);
    a = await bootTestApp();
    b = await bootTestApp({}, { keepDatabase: true });
  });
  afterAll(async () => Promise.all([a?.close(), b?.close()]));

  const auth = (t: TestApp) => t.authHeader({ sub: 'replica-owner', scope: 'items:read items:write' });
  const patch = (t: TestApp, id: string, name: string, etag: string) =>
    t.app.inject({ method: 'PATCH', url: `/items/${id}`, payload: { name }, headers: { ...auth(t), 'if-match': etag } });

  it('two PATCHes with the same ETag, one per instance, at once: one 200, one 412; the winner is stored', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await a.app.inject({
        method: 'POST',
        url: '/items',
        headers: auth(a),
        payload: { sku: `REPLICA-${process.pid}-${round}`, name: 'Shared', priceCents: 100, currency: 'EUR' },
      });
      const { id } = created.json<{ id: string }>();
      const etag = (await b.app.inject({ method: 'GET', url: `/items/${id}`, headers: auth(b) })).headers.etag as string;
      expect(etag).toBe('"1"');

      const [fromA, fromB] = await Promise.all([patch(a, id, 'Written by A', etag), patch(b, id, 'Written by B', etag)]);
      expect([fromA.statusCode, fromB.statusCode].sort()).toEqual([200, 412]);
      const winner = fromA.statusCode === 200 ? 'Written by A' : 'Written by B';
      const stored = await a.app.inject({ method: 'GET', url: `/items/${id}`, headers: auth(a) });
      expect(stored.json()).toMatchObject({ name: winner, version: 2 });
      expect(stored.headers.etag).toBe('"2"');
    }
  });
});
