import { RequestHeadersTestController } from '../support/request-headers-test.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

/** `@RequestHeaders()`: headers validated like a body, with the same 400 problem. */
describe('request headers validated by a DTO (@RequestHeaders)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({}, { controllers: [RequestHeadersTestController] });
  });
  afterAll(async () => t.close());

  const get = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/request-headers-test', headers });

  it('hands the handler a DTO of the declared headers, converted, without the others', async () => {
    const res = await get({ 'x-api-version': '2026-01-31', 'x-page-size': '20', 'x-other': 'ignored' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ headers: { 'x-api-version': '2026-01-31', 'x-page-size': 20 }, isDto: true });
  });

  it('answers a missing header with the 400 problem of an invalid body, at location "header"', async () => {
    const res = await get({});
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: expect.stringContaining('validation'),
      title: 'Request validation failed',
      status: 400,
      detail: '1 invalid field: header #/x-api-version',
      errors: [{ location: 'header', pointer: '#/x-api-version', detail: 'x-api-version is required' }],
    });
  });

  it('names each invalid header and never echoes its value', async () => {
    const res = await get({ 'x-api-version': 'secret-value', 'x-page-size': '1000' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.detail).toBe('2 invalid fields: header #/x-api-version, header #/x-page-size');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { location: 'header', pointer: '#/x-api-version', detail: 'x-api-version must be a date such as 2026-01-31' },
        { location: 'header', pointer: '#/x-page-size', detail: 'x-page-size must not be greater than 100' },
      ]),
    );
    expect(res.body).not.toContain('secret-value');
  });

  it('has the type of a body validation problem', async () => {
    const bodyProblem = await t.app.inject({
      method: 'POST',
      url: '/items',
      payload: {},
      headers: t.authHeader({ sub: 'alice', scope: 'items:write' }),
    });
    expect((await get({})).json().type).toBe(bodyProblem.json().type);
  });
});
