import { request as httpRequest } from 'node:http';
import { MetricsServer } from '../../src/core/metrics/metrics.server';
import { bootFixtureApp } from '../support/fixture-app';
import { find, parseSamples, type Sample } from '../support/prometheus-text';
import type { TestApp } from '../support/test-app';

/** A token that may read and write items. */
const auth = (t: TestApp) => t.authHeader({ scope: 'items:read items:write' });

const DURATION = 'http_server_request_duration_seconds';

async function scrape(t: TestApp, path = '/metrics'): Promise<Sample[]> {
  const response = await t.app.inject({ method: 'GET', url: path });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseSamples(response.body);
}

function count(samples: Sample[], labels: Record<string, string>): number {
  return find(samples, `${DURATION}_count`, labels).reduce((sum, s) => sum + s.value, 0);
}

describe('metrics (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootFixtureApp();
  });
  afterAll(async () => t.close());

  it('counts a mix of 200/401/404/413/429/500 answers with exact labels and no raw path', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: auth(t),
        payload: { sku: `m-${i}`, name: 'M', priceCents: 1, currency: 'EUR' },
      });
      ids.push(created.json<{ id: string }>().id);
    }
    for (const id of ids) await t.app.inject({ method: 'GET', url: `/items/${id}`, headers: auth(t) });
    await t.app.inject({ method: 'GET', url: '/fixture/private' });
    await t.app.inject({ method: 'GET', url: '/scanner/wp-admin.php' });
    await t.app.inject({ method: 'GET', url: '/another/unknown/path' });
    await t.app.inject({ method: 'POST', url: '/items', headers: auth(t), payload: { name: 'x'.repeat(2 * 1024 * 1024) } });
    for (let i = 0; i < 4; i++) await t.app.inject({ method: 'GET', url: '/fixture/limited' }); // 1 served, 3 refused
    await t.app.inject({ method: 'GET', url: '/fixture/boom' });

    const samples = await scrape(t);
    expect(count(samples, { method: 'POST', route: '/items', status_code: '201' })).toBe(2);
    expect(count(samples, { method: 'GET', route: '/items/:id', status_code: '200' })).toBe(2);
    expect(count(samples, { method: 'GET', route: '/fixture/private', status_code: '401' })).toBe(1);
    expect(count(samples, { method: 'GET', route: 'UNMATCHED', status_code: '404' })).toBe(2);
    expect(count(samples, { method: 'POST', route: '/items', status_code: '413' })).toBe(1);
    expect(count(samples, { method: 'GET', route: '/fixture/limited', status_code: '200' })).toBe(1);
    expect(count(samples, { method: 'GET', route: '/fixture/limited', status_code: '429' })).toBe(3);
    expect(count(samples, { method: 'GET', route: '/fixture/boom', status_code: '500' })).toBe(1);

    const routes = new Set(find(samples, `${DURATION}_count`).map((s) => s.labels.route));
    for (const route of routes) expect(route === 'UNMATCHED' || !/[0-9a-f]{8}-|wp-admin|unknown/.test(route)).toBe(true);
    const bucket = find(samples, `${DURATION}_bucket`, { route: '/items/:id', status_code: '200', le: '+Inf' });
    expect(bucket.map((s) => s.value)).toEqual([2]);
    expect(Object.keys(bucket[0].labels).sort()).toEqual(['le', 'method', 'route', 'status_code']);
  });

  it('brings the in-flight gauge back to zero after the requests complete', async () => {
    const samples = await scrape(t);
    // The scrape itself is the one request in flight.
    expect(find(samples, 'http_server_active_requests', { method: 'GET' }).map((s) => s.value)).toEqual([1]);
    expect(find(samples, 'http_server_active_requests', { method: 'POST' }).map((s) => s.value)).toEqual([0]);
  });

  it('exposes the default process metrics labelled with the service name', async () => {
    const samples = await scrape(t);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(find(samples, name, { service: 'nest-chassis' })).toHaveLength(1);
    }
  });

  it('exposes a feature metric declared with counterProvider and injected with @InjectMetric', async () => {
    await t.app.inject({ method: 'GET', url: '/fixture/hello' });
    await t.app.inject({ method: 'GET', url: '/fixture/hello' });
    expect(find(await scrape(t), 'fixture_greetings_total', { language: 'en' }).map((s) => s.value)).toEqual([2]);
  });

  it('serves /metrics without credentials and outside the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const openapi = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(Object.keys(openapi.json<{ paths: object }>().paths)).not.toContain('/metrics');
  });
});

describe('metrics configuration (e2e)', () => {
  it('gives every app its own registry, so apps in one process do not collide', async () => {
    const first = await bootFixtureApp();
    const second = await bootFixtureApp();
    try {
      await first.app.inject({ method: 'GET', url: '/fixture/hello' });
      expect(count(await scrape(first), { route: '/fixture/hello' })).toBe(1);
      expect(count(await scrape(second), { route: '/fixture/hello' })).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('serves the scrape at METRICS_PATH', async () => {
    const t = await bootFixtureApp({ METRICS_PATH: '/internal/prometheus' });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect(find(await scrape(t, '/internal/prometheus'), 'process_cpu_user_seconds_total')).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('serves no scrape endpoint and records nothing with METRICS_ENABLED=false', async () => {
    const t = await bootFixtureApp({ METRICS_ENABLED: 'false' });
    try {
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('serves the scrape only on METRICS_PORT when it is set', async () => {
    const t = await bootFixtureApp({ METRICS_PORT: '0' });
    try {
      await t.app.inject({ method: 'GET', url: '/fixture/hello' });
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const port = t.app.get(MetricsServer).address()!.port;
      const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path: '/metrics' }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        })
          .on('error', reject)
          .end();
      });
      expect(body.status).toBe(200);
      expect(count(parseSamples(body.text), { route: '/fixture/hello', status_code: '200' })).toBe(1);
    } finally {
      await t.close();
    }
  });
});
