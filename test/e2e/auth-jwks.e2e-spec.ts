import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { METRICS_REGISTRY } from '../../src/core/metrics/metrics.tokens';
import { generateSigningKey, JwksServer, type TestSigningKey } from '../support/jwks-server';
import { listItems, signingKeysLoaded } from '../support/auth-requests';
import { bootTestApp, type TestApp } from '../support/test-app';

const ISSUER = 'https://idp.test/realms/demo';
const AUDIENCE = 'items-api';

/** Env for JWKS mode against `server`, plus the suite's policy. */
const jwksEnv = (server: JwksServer, policy: Record<string, string>) => ({
  AUTH_JWKS_URI: server.uri,
  AUTH_JWT_ISSUER: ISSUER,
  AUTH_JWT_AUDIENCE: AUDIENCE,
  ...policy,
});

const signedBy = (t: TestApp, key: TestSigningKey, kid: string = key.kid) =>
  t.token({ sub: 'alice', scope: 'items:read' }, { key: key.privateKey, algorithm: key.alg, header: { kid } });

async function fetchCount(t: TestApp, result: 'success' | 'failure'): Promise<number> {
  const metric = await t.app.get<Registry>(METRICS_REGISTRY).getSingleMetric('auth_jwks_fetches_total')?.get();
  return metric?.values.find((value) => value.labels.result === result)?.value ?? 0;
}

describe('authentication, JWKS mode (e2e)', () => {
  describe('against a real JWKS endpoint', () => {
    const keyA = generateSigningKey('key-a');
    const keyB = generateSigningKey('key-b');
    const ecKey = generateSigningKey('key-ec', 'ES256');
    const server = new JwksServer();
    let t: TestApp;
    beforeAll(async () => {
      await server.start();
      server.keys = [keyA.jwk];
      t = await bootTestApp(jwksEnv(server, { AUTH_JWKS_CACHE_TTL_SECONDS: '1', AUTH_JWKS_COOLDOWN_SECONDS: '0' }));
      await signingKeysLoaded(t);
    });
    afterAll(async () => {
      await t.close();
      await server.stop();
    });

    it('fetches the key set at boot, reports ready and counts the fetch', async () => {
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({ status: 'up', detail: { mode: 'jwks', keys: 1 } });
      expect(await fetchCount(t, 'success')).toBeGreaterThanOrEqual(1);
      expect(await fetchCount(t, 'failure')).toBe(0);
    });

    it('accepts a token signed by a published key', async () => {
      expect((await listItems(t, signedBy(t, keyA))).statusCode).toBe(200);
    });

    it('rotation: accepts a newly published key after a refetch, and refuses the retired key once the TTL has passed', async () => {
      const tokenA = signedBy(t, keyA);
      expect((await listItems(t, tokenA)).statusCode).toBe(200); // verified and cached

      server.keys = [keyA.jwk, keyB.jwk];
      const before = server.requests;
      expect((await listItems(t, signedBy(t, keyB))).statusCode).toBe(200); // unknown kid → refetch
      expect(server.requests).toBeGreaterThan(before);

      server.keys = [keyB.jwk]; // key A retired
      await sleep(1200); // past the 1 s TTL
      const retired = await listItems(t, tokenA);
      expect(retired.statusCode).toBe(401);
      expect(retired.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect((await listItems(t, signedBy(t, keyB))).statusCode).toBe(200);
    });

    it('ignores keys meant for encryption or for another algorithm family', async () => {
      server.keys = [keyB.jwk, { ...keyA.jwk, use: 'enc' }, ecKey.jwk];
      await sleep(1200);
      expect((await listItems(t, signedBy(t, keyB))).statusCode).toBe(200); // refetched after the TTL
      expect((await listItems(t, signedBy(t, keyA))).statusCode).toBe(401);
      expect((await listItems(t, signedBy(t, ecKey))).statusCode).toBe(401);
    });

    it('refuses a token whose header alg differs from the key’s alg', async () => {
      const token = t.token({ sub: 'alice', scope: 'items:read' }, { key: keyB.privateKey, algorithm: 'PS256', header: { kid: 'key-b' } });
      expect((await listItems(t, token)).statusCode).toBe(401);
    });
  });

  describe('kid storm', () => {
    const key = generateSigningKey('real');
    const server = new JwksServer();
    let t: TestApp;
    beforeAll(async () => {
      await server.start();
      server.keys = [key.jwk];
    });
    afterEach(async () => t.close());
    afterAll(async () => server.stop());

    async function storm(): Promise<number[]> {
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const responses = await Promise.all(Array.from({ length: 100 }, () => listItems(t, signedBy(t, key, randomUUID()))));
        statuses.push(...responses.map((response) => response.statusCode));
      }
      return statuses;
    }

    it('1,000 random kids cause at most AUTH_JWKS_REQUESTS_PER_MINUTE fetches (no cooldown)', async () => {
      // The storm itself must reach the guard: lift the per-address flood limit
      // (1,000 requests/60 s by default) that would otherwise stop it first.
      t = await bootTestApp(
        jwksEnv(server, { AUTH_JWKS_COOLDOWN_SECONDS: '0', AUTH_JWKS_REQUESTS_PER_MINUTE: '5', RATE_LIMIT_PRE_AUTH_LIMIT: '0' }),
      );
      await signingKeysLoaded(t);
      server.requests = 0;
      const statuses = await storm();
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect(server.requests).toBeLessThanOrEqual(4); // 5 per minute, one spent at boot
      expect((await listItems(t, signedBy(t, key))).statusCode).toBe(200);
    });

    it('1,000 random kids inside the cooldown cause no fetch at all', async () => {
      t = await bootTestApp(
        jwksEnv(server, { AUTH_JWKS_COOLDOWN_SECONDS: '60', AUTH_JWKS_REQUESTS_PER_MINUTE: '100', RATE_LIMIT_PRE_AUTH_LIMIT: '0' }),
      );
      await signingKeysLoaded(t);
      server.requests = 0;
      const statuses = await storm();
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect(server.requests).toBe(0);
    });
  });

  describe('identity provider unreachable', () => {
    const key = generateSigningKey('k1');
    const server = new JwksServer();
    let t: TestApp;
    beforeAll(async () => {
      await server.start();
      server.keys = [key.jwk];
      server.failing = true;
      t = await bootTestApp(
        jwksEnv(server, { AUTH_JWKS_CACHE_TTL_SECONDS: '1', AUTH_JWKS_COOLDOWN_SECONDS: '0', AUTH_JWKS_GRACE_PERIOD_SECONDS: '600' }),
      );
    });
    afterAll(async () => {
      await t.close();
      await server.stop();
    });

    it('before any successful fetch: 503 problem with Retry-After, readiness down, failures counted', async () => {
      const response = await listItems(t, signedBy(t, key));
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({ status: 'down', detail: { keys: 0, lastError: expect.any(String) } });
      expect(await fetchCount(t, 'failure')).toBeGreaterThanOrEqual(1);
    });

    it('recovers when the provider answers, then serves the last good set in the grace period (degraded)', async () => {
      server.failing = false;
      expect((await listItems(t, signedBy(t, key))).statusCode).toBe(200);
      expect(t.app.get(JwtKeyStore).readiness().status).toBe('up');

      server.failing = true;
      await sleep(1200); // past the TTL
      expect((await listItems(t, signedBy(t, key))).statusCode).toBe(200);
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({ status: 'degraded', detail: { keys: 1, lastError: expect.any(String) } });
    });
  });

  describe('identity provider stalls mid-body or answers oversized', () => {
    const key = generateSigningKey('k1');
    const server = new JwksServer();
    let t: TestApp | undefined;
    beforeAll(async () => server.start());
    beforeEach(() => {
      server.keys = [key.jwk];
      server.fault = 'none';
      server.bytesSent = 0;
    });
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });
    afterAll(async () => server.stop());

    const readiness = async (app: TestApp) => (await app.app.inject({ method: 'GET', url: '/health/ready' })).statusCode;

    it('a body that stalls is aborted at the deadline: 503 with Retry-After, failure counted, readiness 503, and the next fetch recovers', async () => {
      t = await bootTestApp(
        jwksEnv(server, {
          AUTH_JWKS_CACHE_TTL_SECONDS: '1',
          AUTH_JWKS_COOLDOWN_SECONDS: '0',
          AUTH_JWKS_GRACE_PERIOD_SECONDS: '0',
          AUTH_JWKS_TIMEOUT_SECONDS: '1',
          HEALTH_CACHE_SECONDS: '0',
        }),
      );
      await signingKeysLoaded(t);
      expect((await listItems(t, signedBy(t, key))).statusCode).toBe(200);

      server.fault = 'stall';
      await sleep(1200); // past the TTL, no grace: the next request needs a fetch
      const startedAt = Date.now();
      const stalled = await listItems(
        t,
        t.token({ sub: 'bob', scope: 'items:read' }, { key: key.privateKey, algorithm: key.alg, header: { kid: key.kid } }),
      );
      expect(stalled.statusCode).toBe(503);
      expect(Number(stalled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Date.now() - startedAt).toBeLessThan(2500);
      expect(await fetchCount(t, 'failure')).toBeGreaterThanOrEqual(1);
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({
        status: 'down',
        detail: { lastError: expect.stringContaining('timed out') },
      });
      expect(await readiness(t)).toBe(503);

      server.fault = 'none';
      expect((await listItems(t, signedBy(t, key))).statusCode).toBe(200);
      expect(await readiness(t)).toBe(200);
    });

    it('an oversized key set is cut off at AUTH_JWKS_MAX_BYTES while it streams in: a failed fetch, readiness 503', async () => {
      server.fault = 'oversize';
      server.oversizeBytes = 16 * 1024 * 1024;
      t = await bootTestApp(
        jwksEnv(server, { AUTH_JWKS_COOLDOWN_SECONDS: '0', AUTH_JWKS_MAX_BYTES: String(64 * 1024), HEALTH_CACHE_SECONDS: '0' }),
      );
      for (let i = 0; i < 100 && (await fetchCount(t, 'failure')) === 0; i++) await sleep(20);
      expect(await fetchCount(t, 'failure')).toBe(1);
      expect(await fetchCount(t, 'success')).toBe(0);
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({
        status: 'down',
        detail: { lastError: expect.stringContaining('AUTH_JWKS_MAX_BYTES') },
      });
      expect(await readiness(t)).toBe(503);
      await sleep(100);
      expect(server.bytesSent).toBeLessThan(4 * 1024 * 1024); // the rest was never sent: the socket was closed
    });
  });
});
