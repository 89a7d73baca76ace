import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { listItems, signingKeysLoaded } from '../support/auth-requests';
import { generateSigningKey, JwksServer } from '../support/jwks-server';
import { find, parseSamples } from '../support/prometheus-text';
import { bootTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const TIMEOUT_SECONDS = 1;
const HALF_OPEN_AFTER_SECONDS = 2;

/**
 * The JWKS circuit breaker through the real stack: a JWKS endpoint that
 * stalls mid-body makes each fetch wait out its deadline; after
 * `CIRCUIT_BREAKER_FAILURES` of them the circuit opens and fetches fail at
 * once (the same 503 authentication-unavailable as a failed fetch) without
 * reaching the provider; after the half-open delay one probe fetch runs and
 * its success closes the circuit.
 */
describe('JWKS circuit breaker (e2e)', () => {
  const key = generateSigningKey('k1');
  const server = new JwksServer();
  let t: TestApp;
  let subject = 0;
  // A new subject each time: a token already verified would be served from the verified-token cache without keys.
  const request = () =>
    listItems(
      t,
      t.token({ sub: `user-${++subject}`, scope: 'items:read' }, { key: key.privateKey, algorithm: key.alg, header: { kid: key.kid } }),
    );
  const circuitState = async () =>
    find(parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body), 'dependency_circuit_state', { dependency: 'jwks' })[0]
      ?.value;

  beforeAll(async () => {
    await server.start();
    server.keys = [key.jwk];
    t = await bootTestApp({
      AUTH_JWKS_URI: server.uri,
      AUTH_JWT_ISSUER: 'https://idp.test/realms/demo',
      AUTH_JWT_AUDIENCE: 'items-api',
      AUTH_JWKS_CACHE_TTL_SECONDS: '1',
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
      AUTH_JWKS_GRACE_PERIOD_SECONDS: '0',
      AUTH_JWKS_REQUESTS_PER_MINUTE: '600',
      AUTH_JWKS_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
      RATE_LIMIT_PRE_AUTH_LIMIT: '0',
      CIRCUIT_BREAKER_FAILURES: '2',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: String(HALF_OPEN_AFTER_SECONDS),
    });
    await signingKeysLoaded(t);
  });
  afterAll(async () => {
    await t?.close();
    await server.stop();
  });

  it('opens after stalled fetches: later requests get the 503 at once without reaching the provider; a probe after the half-open delay closes it', async () => {
    expect((await request()).statusCode).toBe(200);
    expect(await circuitState()).toBe(0);

    server.fault = 'stall';
    await sleep(1200); // past the 1 s TTL, no grace: every request needs a fetch
    for (let i = 0; i < 4 && (await circuitState()) !== 2; i++) expect((await request()).statusCode).toBe(503);
    expect(await circuitState()).toBe(2);

    const requestsBefore = server.requests;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await request();
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 503 });
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(performance.now() - started).toBeLessThan((TIMEOUT_SECONDS * 1000) / 2);
    }
    expect(server.requests).toBe(requestsBefore);
    expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({
      status: 'down',
      detail: { lastError: expect.stringContaining('circuit is open') },
    });

    server.fault = 'none';
    await sleep(HALF_OPEN_AFTER_SECONDS * 1000 + 200);
    expect((await request()).statusCode).toBe(200);
    expect(await circuitState()).toBe(0);
    expect(server.requests).toBe(requestsBefore + 1);
  });
});
