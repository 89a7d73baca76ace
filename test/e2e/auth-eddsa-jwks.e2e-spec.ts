import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, type JWTPayload } from 'jose';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { JwksServer } from '../support/jwks-server';
import { bootTestApp, type TestApp } from '../support/test-app';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'items-api';

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: JWTPayload = {}): JWTPayload => ({
  sub: 'alice',
  scope: 'items:read',
  iss: ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 60,
  ...extra,
});
/** An EdDSA token signed by jose (jsonwebtoken cannot sign EdDSA). */
const eddsa = (key: KeyObject, payload: JWTPayload = claims(), header: Record<string, string> = {}) =>
  new SignJWT(payload).setProtectedHeader({ ...header, alg: 'EdDSA', typ: 'JWT' }).sign(key);
const listItems = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/items', headers: { authorization: `Bearer ${token}` } });
/** Asserts the token is refused with a 401 problem and returns the reason logged at debug level (never sent). */
async function refusal(t: TestApp, token: string): Promise<string> {
  const response = await listItems(t, token);
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  expect(response.headers['content-type']).toContain('application/problem+json');
  const requestId = response.json().requestId;
  const line = t.logs.withMessage('Bearer token refused').find((entry) => entry.requestId === requestId);
  expect(line).toMatchObject({ level: 'debug' });
  const reason = String(line?.reason);
  expect(response.body).not.toContain(reason);
  return reason;
}

/**
 * A suite of its own: the debug lines of Nest's Logger reach only the first
 * app booted in a test file, and the refusal reasons are asserted here.
 */
describe('authentication, EdDSA (Ed25519) in JWKS mode (e2e)', () => {
  describe('JWKS with an OKP/Ed25519 key', () => {
    const ed = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const server = new JwksServer();
    let t: TestApp;
    beforeAll(async () => {
      await server.start();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      server.keys = [
        { ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
        { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      ];
      t = await bootTestApp({
        AUTH_JWKS_URI: server.uri,
        LOG_LEVEL: 'debug',
        AUTH_JWT_ALGORITHMS: 'EdDSA',
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      });
      const keys = t.app.get(JwtKeyStore);
      for (let i = 0; i < 100 && keys.readiness().status === 'down'; i++) await sleep(20);
    });
    afterAll(async () => {
      await t.close();
      await server.stop();
    });

    it('keeps only the EdDSA key of the set and accepts a token signed with it', async () => {
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({ status: 'up', detail: { mode: 'jwks', keys: 1 } });
      expect((await listItems(t, await eddsa(ed.privateKey, claims(), { kid: 'ed-1' }))).statusCode).toBe(200);
    });

    it('refuses a token of an unpublished key, an unknown kid and the RSA kid', async () => {
      const tokens = [
        await eddsa(other.privateKey, claims(), { kid: 'ed-1' }),
        await eddsa(ed.privateKey, claims(), { kid: 'unknown' }),
        await eddsa(ed.privateKey, claims(), { kid: 'rsa-1' }),
      ];
      const reasons = [];
      for (const token of tokens) reasons.push(await refusal(t, token));
      expect(reasons[0]).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
      expect(reasons[1]).toBe('no signing key for kid "unknown"');
      expect(reasons[2]).toBe('no signing key for kid "rsa-1"');
    });
  });
});
