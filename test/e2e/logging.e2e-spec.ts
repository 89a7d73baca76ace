import { bootTestApp, type TestApp } from '../support/test-app';

describe('logging (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  it('writes JSON lines with an RFC 3339 timestamp and the request id of the response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/items', headers: { authorization: 'Bearer secret-token' } });
    const id = res.headers['x-request-id'];
    const lines = t.logs.lines.filter((line) => line.requestId === id);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.stringify(t.logs.lines)).not.toContain('secret-token');
  });
});
