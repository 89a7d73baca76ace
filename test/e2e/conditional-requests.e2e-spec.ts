import { PROBLEM_TYPES } from '../../src/core/errors/problem-details';
import { expectProblem } from '../support/pipeline-assertions';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Conditional requests on items (RFC 9110 §13): ETag, 304, 412, 428. */
describe('conditional requests (e2e)', () => {
  let t: TestApp;
  let n = 0;
  const auth = () => t.authHeader({ sub: 'conditional-owner', scope: 'items:read items:write' });
  const create = async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/items',
      headers: auth(),
      payload: { sku: `COND-${process.pid}-${++n}`, name: 'Versioned', priceCents: 100, currency: 'EUR' },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; version: number }>();
  };
  const get = (id: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/items/${id}`, headers: { ...auth(), ...headers } });
  const patch = (id: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'PATCH', url: `/items/${id}`, payload, headers: { ...auth(), ...headers } });
  const remove = (id: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'DELETE', url: `/items/${id}`, headers: { ...auth(), ...headers } });

  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  it('GET sends a strong ETag of the version; If-None-Match with it (or weak, or *) gets 304 without content', async () => {
    const { id, version } = await create();
    expect(version).toBe(1);
    const first = await get(id);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    for (const ifNoneMatch of ['"1"', 'W/"1"', '"7", "1"', '*']) {
      const notModified = await get(id, { 'if-none-match': ifNoneMatch });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe('"1"');
      expect(notModified.headers['content-type']).toBeUndefined();
      expect(notModified.headers['x-request-id']).toBeDefined();
    }
    const stale = await get(id, { 'if-none-match': '"0"', 'accept-encoding': 'gzip' });
    expect(stale.statusCode).toBe(200);
    expect(stale.headers.etag).toBe('"1"');
  });

  it('PATCH with the current ETag in If-Match applies and answers the new ETag; a stale one gets 412 and changes nothing', async () => {
    const { id } = await create();
    const updated = await patch(id, { name: 'First change' }, { 'if-match': '"1"' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'First change', version: 2 });
    expect(updated.headers.etag).toBe('"2"');

    const stale = await patch(id, { name: 'Lost update' }, { 'if-match': '"1"' });
    const problem = expectProblem(stale, 412);
    expect(problem.type).toBe('tag:nest-chassis,2026:problems/precondition-failed');
    for (const weakOrOther of ['W/"2"', '"abc"', 'not-a-tag']) {
      expect((await patch(id, { name: 'Lost update' }, { 'if-match': weakOrOther })).statusCode).toBe(412);
    }
    expect((await get(id)).json()).toMatchObject({ name: 'First change', version: 2 });

    expect((await patch(id, { name: 'Any version' }, { 'if-match': '*' })).json()).toMatchObject({ version: 3 });
    expect((await patch(id, { name: 'Unconditional' })).json()).toMatchObject({ name: 'Unconditional', version: 4 });
  });

  it('two concurrent PATCHes with the same ETag: one 200, one 412 (the version is checked in the update itself)', async () => {
    const { id } = await create();
    const results = await Promise.all(
      ['Writer A', 'Writer B', 'Writer C', 'Writer D'].map((name) => patch(id, { name }, { 'if-match': '"1"' })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.statusCode === 200)!.json<{ name: string }>();
    expect((await get(id)).json()).toMatchObject({ name: winner.name, version: 2 });
  });

  it('DELETE honours If-Match: 412 on a stale tag (the item stays), 204 on the current one; 404 once gone', async () => {
    const { id } = await create();
    await patch(id, { name: 'Changed' });
    expectProblem(await remove(id, { 'if-match': '"1"' }), 412);
    expect((await get(id)).statusCode).toBe(200);
    expect((await remove(id, { 'if-match': '"2"' })).statusCode).toBe(204);
    expectProblem(await remove(id, { 'if-match': '"2"' }), 404);
  });

  it('answers 404, not 412, for a missing item whatever the If-Match', async () => {
    expectProblem(await patch('00000000-0000-4000-8000-000000000000', { name: 'x' }, { 'if-match': '"1"' }), 404);
  });
});

describe('conditional requests required (CONDITIONAL_REQUIRE_IF_MATCH=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ CONDITIONAL_REQUIRE_IF_MATCH: 'true' });
  });
  afterAll(async () => t.close());

  it('refuses PATCH and DELETE without If-Match with 428; with it they run', async () => {
    const auth = t.authHeader({ sub: 'conditional-required', scope: 'items:read items:write' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/items',
      headers: auth,
      payload: { sku: `COND-REQ-${process.pid}`, name: 'Guarded', priceCents: 100, currency: 'EUR' },
    });
    const { id } = created.json<{ id: string }>();
    const unconditional = await t.app.inject({ method: 'PATCH', url: `/items/${id}`, headers: auth, payload: { name: 'x' } });
    expect(expectProblem(unconditional, 428).type).toBe(PROBLEM_TYPES.preconditionRequired);
    expectProblem(await t.app.inject({ method: 'DELETE', url: `/items/${id}`, headers: auth }), 428);
    const conditional = await t.app.inject({
      method: 'PATCH',
      url: `/items/${id}`,
      headers: { ...auth, 'if-match': '"1"' },
      payload: { name: 'x' },
    });
    expect(conditional.statusCode).toBe(200);
  });
});
