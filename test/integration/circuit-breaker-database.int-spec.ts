import type { Registry } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { expectProblem } from '../support/pipeline-assertions';
import { find, parseSamples } from '../support/prometheus-text';
import { waitFor } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const HALF_OPEN_AFTER_SECONDS = 1;

/**
 * The database circuit breaker through the real stack: PostgreSQL behind a
 * TCP proxy that is cut (connections reset, new ones refused). Refused
 * connection attempts open the circuit; while it is open a request still
 * gets the 503 database-unavailable problem with `Retry-After` (cause
 * `circuit-open`), never a 500; once the proxy is restored, a probe after
 * the half-open delay closes the circuit.
 */
describe('database circuit breaker (integration)', () => {
  const database = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
  let t: TestApp;

  beforeAll(async () => {
    await database.start();
    t = await bootTestApp({
      DATABASE_URL: Object.assign(new URL(databaseUrl.href), { hostname: '127.0.0.1', port: String(database.port) }).href,
      DATABASE_POOL_SIZE: '2',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      CIRCUIT_BREAKER_FAILURES: '3',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: String(HALF_OPEN_AFTER_SECONDS),
    });
  });
  afterAll(async () => {
    await t?.close();
    await database.stop();
  });

  const list = () => t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ sub: 'breaker', scope: 'items:read' }) });
  const circuitState = async () =>
    find(parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body), 'dependency_circuit_state', {
      dependency: 'database',
    })[0]?.value;
  async function unavailableCount(cause: string): Promise<number> {
    const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('http_dependency_unavailable_total')?.get();
    return (metric?.values ?? []).filter((value) => value.labels.cause === cause).reduce((sum, value) => sum + value.value, 0);
  }

  it('opens on refused connections, answers 503 database-unavailable while open, and closes after the database is back', async () => {
    expect((await list()).statusCode).toBe(200);
    expect(await circuitState()).toBe(0);
    const from = t.logs.lines.length;

    await database.cut();
    try {
      for (let i = 0; i < 8 && (await circuitState()) !== 2; i++) expectProblem(await list(), 503);
      expect(await circuitState()).toBe(2);
      const openBefore = await unavailableCount('database:circuit-open');
      for (let i = 0; i < 5; i++) {
        const response = await list();
        const body = expectProblem(response, 503);
        expect(body.type).toBe('tag:nest-chassis,2026:problems/database-unavailable');
        expect(response.headers['retry-after']).toBe('5');
      }
      expect(await unavailableCount('database:circuit-open')).toBe(openBefore + 5);
    } finally {
      await database.restore();
    }

    await sleep(HALF_OPEN_AFTER_SECONDS * 1000 + 200);
    await waitFor('the database circuit to close', async () => (await list()).statusCode === 200, 60);
    expect(await circuitState()).toBe(0);

    const lines = t.logs.lines.slice(from);
    expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    expect(lines.filter((line) => line.context === 'CircuitBreaker' && line.state === 'open')).toHaveLength(1);
  });
});
