import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { generateSigningKey, JwksServer } from '../support/jwks-server';
import { waitFor } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Every readiness check of the chassis, each with its dependency down, turns
 * `/health/ready` into a 503 over HTTP: database, Redis (critical), the JWKS
 * key set and the cache (critical). Terminus 12 no longer turns an indicator
 * that throws into a failed check by itself, so the chassis's aggregation is
 * what this proves, through the real probe and the real dependencies.
 */
jest.setTimeout(60_000);

const databaseUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const viaProxy = (url: URL, proxy: TcpProxy) => Object.assign(new URL(url.href), { hostname: '127.0.0.1', port: String(proxy.port) }).href;

type Check = { status: string; critical: boolean };
type Body = { status: string; checks: Record<string, Check> };

/** Polls readiness until it answers `status` (bounded). */
async function readinessBecomes(t: TestApp, status: number): Promise<Body> {
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
    if (response.statusCode === status) return response.json<Body>();
    last = `${response.statusCode} ${response.body}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`readiness never answered ${status}; the last answer: ${last}`);
}

/** `auth_jwks_fetches_total{result}` of the app's registry. */
async function jwksFetches(t: TestApp, result: 'success' | 'failure'): Promise<number> {
  const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('auth_jwks_fetches_total')!.get();
  return metric.values.find((value) => value.labels.result === result)?.value ?? 0;
}

async function whileCut(proxy: TcpProxy, expectations: () => Promise<void>): Promise<void> {
  await proxy.cut();
  try {
    await expectations();
  } finally {
    await proxy.restore();
  }
}

describe('every readiness check answers 503 when its dependency is down (integration)', () => {
  const database = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
  const redis = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  const jwks = new JwksServer();
  const key = generateSigningKey('key-a');
  let t: TestApp;

  beforeAll(async () => {
    await database.start();
    await redis.start();
    await jwks.start();
    jwks.keys = [key.jwk];
    jwks.failing = true; // the identity provider is down when the app starts
    t = await bootTestApp({
      DATABASE_URL: viaProxy(databaseUrl, database),
      REDIS_URL: viaProxy(redisUrl, redis),
      HEALTH_REDIS_CRITICAL: 'true',
      HEALTH_CACHE_SECONDS: '0',
      HEALTH_CHECK_TIMEOUT_SECONDS: '1',
      AUTH_JWKS_URI: jwks.uri,
      AUTH_JWT_ISSUER: 'https://idp.test',
      AUTH_JWT_AUDIENCE: 'api',
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks.stop();
    await database.stop();
    await redis.stop();
  });

  it('jwks: 503 until the key set is fetched, then ready', async () => {
    const body = await readinessBecomes(t, 503);
    expect(body.status).toBe('error');
    expect(body.checks.jwks).toEqual({ status: 'down', critical: true });
    expect(body.checks.database.status).toBe('up');
    // The boot fetch has failed (not merely not answered yet): a request that came before would join it.
    await waitFor('the failed boot fetch of the key set', async () => (await jwksFetches(t, 'failure')) >= 1);
    jwks.failing = false;
    // A token-bearing request (or the refresh schedule) fetches the set; the probe alone must not.
    const token = t.token({ sub: 'alice', scope: 'items:read' }, { key: key.privateKey, algorithm: key.alg, header: { kid: key.kid } });
    await t.app.inject({ method: 'GET', url: '/items', headers: { authorization: `Bearer ${token}` } });
    expect((await readinessBecomes(t, 200)).checks.jwks).toEqual({ status: 'up', critical: true });
  });

  it('database: 503 while PostgreSQL is unreachable', async () => {
    await whileCut(database, async () => {
      const body = await readinessBecomes(t, 503);
      expect(body.checks.database).toEqual({ status: 'down', critical: true });
    });
    await readinessBecomes(t, 200);
  });

  it('redis: 503 while Redis is unreachable (HEALTH_REDIS_CRITICAL=true)', async () => {
    await whileCut(redis, async () => {
      const body = await readinessBecomes(t, 503);
      expect(body.checks.redis).toEqual({ status: 'down', critical: true });
    });
    await readinessBecomes(t, 200);
  });
});

describe('the cache check alone answers 503 when CACHE_CRITICAL=true (integration)', () => {
  const redis = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let t: TestApp;

  beforeAll(async () => {
    await redis.start();
    t = await bootTestApp({
      DATABASE_URL: 'sqlite::memory:',
      REDIS_URL: viaProxy(redisUrl, redis),
      CACHE_CRITICAL: 'true',
      CACHE_OPERATION_TIMEOUT_SECONDS: '0.2',
      HEALTH_CACHE_SECONDS: '0',
      HEALTH_CHECK_TIMEOUT_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis.stop();
  });

  it('cache: 503 while its store is unreachable, though Redis itself is not critical', async () => {
    expect((await readinessBecomes(t, 200)).checks.cache).toEqual({ status: 'up', critical: true });
    await whileCut(redis, async () => {
      const body = await readinessBecomes(t, 503);
      expect(body.checks).toEqual({
        database: { status: 'up', critical: true },
        redis: { status: 'down', critical: false },
        cache: { status: 'down', critical: true },
      });
    });
    await readinessBecomes(t, 200);
  });
});
