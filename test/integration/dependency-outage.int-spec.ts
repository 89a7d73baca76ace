import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { REDIS_CLIENT } from '../../src/core/redis/redis.tokens';
import { expectProblem } from '../support/pipeline-assertions';
import { OwnRedisServer, waitFor } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const OUTAGE_LINE = 'Dependency unavailable: answering 503 (one line per cause per interval)';

/**
 * Dependencies down through the real stack: PostgreSQL behind a TCP proxy
 * that is cut (connections reset, new ones refused), a pool held busy past
 * the acquisition timeout, and an own redis-server stopped under a fail-closed
 * rate limiter. Each is an honest 503 with `Retry-After` and its own problem
 * type, logged once per cause per interval at warn, never a stack per request.
 */
describe('dependency outages: honest 503s and quiet logs (integration)', () => {
  const database = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
  let redis: OwnRedisServer;
  let t: TestApp;

  beforeAll(async () => {
    await database.start();
    redis = await OwnRedisServer.start();
    t = await bootTestApp({
      DATABASE_URL: Object.assign(new URL(databaseUrl.href), { hostname: '127.0.0.1', port: String(database.port) }).href,
      DATABASE_POOL_SIZE: '2',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      REDIS_URL: redis.url,
      RATE_LIMIT_FAIL_MODE: 'closed',
      // The outages open the circuits (test/integration/circuit-breaker-*.int-spec.ts); recovery is probed after 1 s, not 5.
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '1',
      RATE_LIMIT_REDIS_KEY_PREFIX: `test:outage:${process.pid}-${Date.now()}:`,
    });
    await waitFor('the app’s Redis client', () => t.app.get<Redis>(REDIS_CLIENT).status === 'ready');
  });
  afterAll(async () => {
    await t?.close();
    await database.stop();
    await redis?.stop();
  });

  const list = () => t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ sub: 'outage', scope: 'items:read' }) });
  const errorLines = (from: number) => t.logs.lines.slice(from).filter((line) => line.level === 'error' || line.level === 'fatal');
  const outageLines = (from: number, cause: RegExp) =>
    t.logs.lines.slice(from).filter((line) => line.msg === OUTAGE_LINE && cause.test(String(line.cause)));
  async function unavailableCount(cause: RegExp): Promise<number> {
    const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('http_dependency_unavailable_total')?.get();
    return (metric?.values ?? []).filter((value) => cause.test(String(value.labels.cause))).reduce((sum, value) => sum + value.value, 0);
  }

  it('database cut: every request is a 503 database-unavailable problem with Retry-After, one warning, counted, then recovers', async () => {
    expect((await list()).statusCode).toBe(200);
    const from = t.logs.lines.length;
    const countedBefore = await unavailableCount(/^database:/);
    // The pool's error on its idle connection is a JSON line too, not plain text on stderr.
    const poolErrors = () =>
      t.logs.lines.slice(from).filter((line) => line.msg === 'TypeORM warning' && /pool raised an error/.test(String(line.warning)));
    await database.cut();
    try {
      // The pool learns of the reset when its idle connection's socket closes; a request sent
      // before that takes the dead connection and fails on it instead (a 503 as well), so the
      // pool would have nothing to report: wait for the close to arrive first.
      await waitFor('the pool to report its idle connection reset', () => poolErrors().length >= 1);
      for (let i = 0; i < 20; i++) {
        const response = await list();
        const body = expectProblem(response, 503);
        expect(body.type).toBe('tag:nest-chassis,2026:problems/database-unavailable');
        expect(response.headers['retry-after']).toBe('5');
      }
    } finally {
      await database.restore();
    }
    expect(errorLines(from)).toEqual([]);
    const warnings = outageLines(from, /^database:/);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // One per cause: the reset of the pooled connection, refused connects, then the open circuit breaker (database:circuit-open).
    expect(warnings.length).toBeLessThanOrEqual(3);
    expect(warnings.every((line) => line.level === 'warn' && line.err === undefined && line.stack === undefined)).toBe(true);
    expect(await unavailableCount(/^database:/)).toBe(countedBefore + 20);
    expect(poolErrors().length).toBeGreaterThanOrEqual(1); // one per idle pooled connection
    expect(poolErrors().every((line) => line.level === 'warn' && line.context === 'Database')).toBe(true);
    await waitFor('the database to answer again', async () => (await list()).statusCode === 200);
  });

  it('pool acquisition timeout: a 503 database-unavailable problem, not a 500', async () => {
    const countedBefore = await unavailableCount(/^database:pool-timeout$/);
    const dataSource = t.app.get(DataSource);
    const holding = Promise.all([dataSource.query('SELECT pg_sleep(3)'), dataSource.query('SELECT pg_sleep(3)')]); // both pooled connections
    try {
      const body = expectProblem(await list(), 503);
      expect(body.type).toBe('tag:nest-chassis,2026:problems/database-unavailable');
    } finally {
      await holding;
    }
    expect(await unavailableCount(/^database:pool-timeout$/)).toBe(countedBefore + 1);
    expect((await list()).statusCode).toBe(200);
  });

  it('Redis stopped under a fail-closed rate limiter: 503 rate-limit-unavailable, warnings not stacks', async () => {
    const from = t.logs.lines.length;
    await redis.stop();
    try {
      for (let i = 0; i < 20; i++) {
        const response = await list();
        const body = expectProblem(response, 503);
        expect(body.type).toBe('tag:nest-chassis,2026:problems/rate-limit-unavailable');
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await redis.restart();
    }
    expect(errorLines(from)).toEqual([]);
    expect(outageLines(from, /^rate-limit-unavailable$/)).toHaveLength(1);
    expect(await unavailableCount(/^rate-limit-unavailable$/)).toBeGreaterThanOrEqual(20);
  });
});

describe('black-holed database connections (integration)', () => {
  const database = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
  let t: TestApp;

  beforeAll(async () => {
    await database.start();
    t = await bootTestApp({
      DATABASE_URL: Object.assign(new URL(databaseUrl.href), { hostname: '127.0.0.1', port: String(database.port) }).href,
      DATABASE_POOL_SIZE: '2',
      DATABASE_STATEMENT_TIMEOUT_SECONDS: '1',
      REQUEST_TIMEOUT_SECONDS: '10',
    });
  });
  afterAll(async () => {
    await t?.close();
    await database.stop();
  });

  const list = () => t.app.inject({ method: 'GET', url: '/items', headers: t.authHeader({ sub: 'blackhole', scope: 'items:read' }) });

  it('a query sent into a black hole fails at the client-side timeout as a 503, and the connection is evicted: new requests succeed within seconds', async () => {
    expect((await list()).statusCode).toBe(200);
    database.blackhole(); // the pooled connections stop answering; new ones are forwarded
    const startedAt = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await list();
      statuses.push(response.statusCode);
      if (response.statusCode === 200) break;
      expect(response.json().type).toBe('tag:nest-chassis,2026:problems/database-unavailable');
    }
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.filter((status) => status === 503).length).toBeLessThanOrEqual(2); // at most one per pooled connection
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
