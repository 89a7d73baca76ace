import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { sign } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { generateSigningKey, JwksServer } from '../../../../test/support/jwks-server';
import { InvalidTokenError, KeySetUnavailableError } from '../auth.errors';
import { JwksKeySource, type JwksPolicy } from './jwks-key-source';

/**
 * The key source's policies (TTL, cooldown, per-minute cap, grace period)
 * on a fake clock, against a real JWKS endpoint fetched by jwks-rsa.
 */
describe('JwksKeySource', () => {
  const keyA = generateSigningKey('a');
  const keyB = generateSigningKey('b');
  const server = new JwksServer();
  let nowMs: number;
  let fetches: string[];

  beforeAll(async () => server.start());
  afterAll(async () => server.stop());
  beforeEach(() => {
    server.keys = [keyA.jwk];
    server.failing = false;
    server.fault = 'none';
    server.requests = 0;
    nowMs = 1_000_000;
    fetches = [];
  });

  const policy: JwksPolicy = {
    algorithms: ['RS256'],
    cacheTtlSeconds: 60,
    cooldownSeconds: 10,
    requestsPerMinute: 3,
    gracePeriodSeconds: 120,
    timeoutSeconds: 2,
  };
  const source = (overrides: Partial<JwksPolicy> = {}) =>
    new JwksKeySource(
      { ...policy, ...overrides },
      new JwksClient({ jwksUri: server.uri, cache: false, rateLimit: false, timeout: 2000 }),
      { fetched: (result) => fetches.push(result) },
      () => nowMs,
    );
  const tokenFor = (key = keyA, kid: string | null = key.kid) =>
    sign({ sub: 'x' }, key.privateKey, { algorithm: 'RS256', ...(kid ? { keyid: kid } : {}) });
  const advance = (seconds: number) => (nowMs += seconds * 1000);

  it('is down before the first fetch, then up, and reuses the set within the TTL', async () => {
    const keys = source();
    expect(keys.readiness().status).toBe('down');
    expect((await keys.keyFor(tokenFor())).asymmetricKeyType).toBe('rsa');
    advance(59);
    await keys.keyFor(tokenFor());
    expect(server.requests).toBe(1);
    expect(keys.readiness()).toMatchObject({ status: 'up', detail: { keys: 1, fetchedAt: new Date(1_000_000).toISOString() } });
  });

  it('refetches after the TTL, bumping the generation only when the set changed', async () => {
    const keys = source();
    await keys.keyFor(tokenFor());
    const first = keys.generation;
    advance(61);
    await keys.keyFor(tokenFor());
    expect(server.requests).toBe(2);
    expect(keys.generation).toBe(first);
    server.keys = [keyA.jwk, keyB.jwk];
    advance(61);
    await keys.keyFor(tokenFor(keyB));
    expect(keys.generation).toBe(first + 1);
  });

  it('refetches for an unknown kid only after the cooldown, and at most requestsPerMinute times a minute', async () => {
    const keys = source();
    await keys.keyFor(tokenFor());
    await expect(keys.keyFor(tokenFor(keyA, 'unknown-1'))).rejects.toThrow(InvalidTokenError);
    expect(server.requests).toBe(1); // inside the cooldown
    advance(10);
    await expect(keys.keyFor(tokenFor(keyA, 'unknown-2'))).rejects.toThrow(InvalidTokenError);
    advance(10);
    await expect(keys.keyFor(tokenFor(keyA, 'unknown-3'))).rejects.toThrow(InvalidTokenError);
    advance(10);
    await expect(keys.keyFor(tokenFor(keyA, 'unknown-4'))).rejects.toThrow(InvalidTokenError);
    expect(server.requests).toBe(3); // the per-minute cap
    advance(31); // the first fetch leaves the window
    server.keys = [keyA.jwk, keyB.jwk];
    await expect(keys.keyFor(tokenFor(keyB))).resolves.toBeDefined();
    expect(server.requests).toBe(4);
  });

  it('shares one fetch between concurrent misses', async () => {
    const keys = source({ cooldownSeconds: 0, requestsPerMinute: 100 });
    await Promise.all(Array.from({ length: 20 }, () => keys.keyFor(tokenFor())));
    expect(server.requests).toBe(1);
  });

  it('serves the last good set for the grace period when refetching fails, then is down', async () => {
    const keys = source();
    await keys.keyFor(tokenFor());
    server.failing = true;
    advance(61);
    await expect(keys.keyFor(tokenFor())).resolves.toBeDefined();
    expect(keys.readiness()).toMatchObject({ status: 'degraded', detail: { lastError: expect.any(String) } });
    advance(119); // TTL + 119 s: still in the 120 s grace period
    await expect(keys.keyFor(tokenFor())).resolves.toBeDefined();
    advance(2);
    await expect(keys.keyFor(tokenFor())).rejects.toThrow(KeySetUnavailableError);
    expect(keys.readiness().status).toBe('down');
    expect(fetches.filter((result) => result === 'failure').length).toBeGreaterThanOrEqual(1);
  });

  it('waits out the cooldown after a failed fetch instead of hitting the provider on every request', async () => {
    server.failing = true;
    const keys = source();
    await expect(keys.keyFor(tokenFor())).rejects.toThrow(KeySetUnavailableError);
    await expect(keys.keyFor(tokenFor())).rejects.toThrow(KeySetUnavailableError);
    expect(server.requests).toBe(1);
    expect(keys.retryAfterSeconds()).toBe(10);
  });

  it('keeps only signature keys that can verify an allowed algorithm', async () => {
    const ec = generateSigningKey('ec', 'ES256');
    server.keys = [{ ...keyA.jwk, use: 'enc' }, ec.jwk, { ...keyB.jwk, alg: 'RS512' }, { ...keyB.jwk, kid: 'b-noalg', alg: undefined }];
    const keys = source();
    await expect(keys.keyFor(tokenFor(keyA))).rejects.toThrow(InvalidTokenError);
    await expect(keys.keyFor(tokenFor(keyB))).rejects.toThrow(InvalidTokenError);
    await expect(keys.keyFor(tokenFor(keyB, 'b-noalg'))).resolves.toBeDefined();
    expect(keys.readiness().detail.keys).toBe(1);
  });

  it('treats a set without usable keys as a failed fetch', async () => {
    server.keys = [{ ...keyA.jwk, use: 'enc' }];
    const keys = source();
    await expect(keys.keyFor(tokenFor())).rejects.toThrow(KeySetUnavailableError);
    expect(fetches).toEqual(['failure']);
  });

  it('uses the only key for a token without kid, and refuses that when the set holds several', async () => {
    const keys = source();
    await expect(keys.keyFor(tokenFor(keyA, null))).resolves.toBeDefined();
    server.keys = [keyA.jwk, keyB.jwk];
    advance(61);
    await expect(keys.keyFor(tokenFor(keyA, null))).rejects.toThrow(InvalidTokenError);
  });

  it('refuses malformed headers before fetching anything', async () => {
    const keys = source();
    for (const token of [
      'nodots',
      '.x.y',
      `${Buffer.from('[1]').toString('base64url')}.x.y`,
      `${Buffer.from('{"alg":1}').toString('base64url')}.x.y`,
    ]) {
      await expect(keys.keyFor(token)).rejects.toThrow(InvalidTokenError);
    }
    const numericKid = `${Buffer.from('{"alg":"RS256","kid":7}').toString('base64url')}.x.y`;
    await expect(keys.keyFor(numericKid)).rejects.toThrow(InvalidTokenError);
    expect(server.requests).toBe(0);
  });

  it('keeps an OKP/Ed25519 key (converted by jwks-rsa) when EdDSA is allowed, and drops it otherwise', async () => {
    const ed = generateKeyPairSync('ed25519');
    server.keys = [{ ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed', alg: 'EdDSA', use: 'sig' }, keyA.jwk];
    const edToken = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'EdDSA', kid: 'ed' }).sign(ed.privateKey);

    const eddsa = source({ algorithms: ['EdDSA'] });
    const key = await eddsa.keyFor(edToken);
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(key.export({ format: 'jwk' }).x).toBe(ed.publicKey.export({ format: 'jwk' }).x);
    expect(eddsa.readiness().detail).toMatchObject({ keys: 1 });
    await expect(eddsa.keyFor(tokenFor())).rejects.toThrow(InvalidTokenError);

    const rs256 = source();
    await expect(rs256.keyFor(edToken)).rejects.toThrow('no signing key for kid "ed"');
    expect(rs256.readiness().detail).toMatchObject({ keys: 1 });
  });

  it('fails a fetch that never settles shortly after its deadline and lets the next attempt run', async () => {
    server.fault = 'stall'; // jwks-rsa's own request never settles on a stalled body
    const keys = source({ timeoutSeconds: 1 });
    const startedAt = Date.now();
    await expect(keys.keyFor(tokenFor())).rejects.toThrow(KeySetUnavailableError);
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(fetches).toEqual(['failure']);
    expect(keys.readiness()).toMatchObject({ status: 'down', detail: { lastError: 'no answer within 1 s' } });

    server.fault = 'none';
    advance(10); // past the cooldown
    expect((await keys.keyFor(tokenFor())).asymmetricKeyType).toBe('rsa');
    expect(fetches).toEqual(['failure', 'success']);
  });
});
