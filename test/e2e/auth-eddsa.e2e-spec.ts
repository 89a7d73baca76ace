import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { sign } from 'jsonwebtoken';
import type { AppConfig } from '../../src/core/config/app-config';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { ConfigValidationError } from '../../src/core/config/config.error';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { bootTestApp, type TestApp } from '../support/test-app';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'items-api';

const now = () => Math.floor(Date.now() / 1000);
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
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
const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('authentication, EdDSA (Ed25519) (e2e)', () => {
  describe('static public key, algorithm inferred from the Ed25519 key', () => {
    const ed = generateKeyPairSync('ed25519');
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({
        AUTH_JWT_PUBLIC_KEY: pemOf(ed.publicKey),
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
        LOG_LEVEL: 'debug',
      });
    });
    afterAll(async () => t.close());

    it('configures EdDSA and accepts a valid EdDSA token on a route needing items:read', async () => {
      expect(t.app.get<AppConfig>(APP_CONFIG).auth.algorithms).toEqual(['EdDSA']);
      const response = await listItems(t, await eddsa(ed.privateKey));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ total: 0 });
    });

    it('refuses an expired token, another issuer and another audience with 401, logging why at debug level', async () => {
      expect(await refusal(t, await eddsa(ed.privateKey, claims({ exp: now() - 3600 })))).toMatch(/^ERR_JWT_EXPIRED/);
      expect(await refusal(t, await eddsa(ed.privateKey, claims({ iss: 'https://evil.test/' })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "iss"/,
      );
      expect(await refusal(t, await eddsa(ed.privateKey, claims({ aud: 'other-api' })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "aud"/,
      );
    });

    it('refuses a tampered payload, a tampered signature and a token of another Ed25519 key', async () => {
      const [header, payload, signature] = (await eddsa(ed.privateKey)).split('.');
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      const otherKey = generateKeyPairSync('ed25519').privateKey;
      const tokens = [
        `${header}.${part({ ...claims(), sub: 'mallory' })}.${signature}`,
        `${header}.${payload}.${flipped}`,
        await eddsa(otherKey),
      ];
      for (const token of tokens) expect(await refusal(t, token)).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    });

    it('refuses an RS256 token, an HS256 token keyed with the public key, and alg none', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const hsHeader = part({ alg: 'HS256', typ: 'JWT' });
      const hsPayload = part(claims());
      const hsSignature = createHmac('sha256', pemOf(ed.publicKey)).update(`${hsHeader}.${hsPayload}`).digest('base64url');
      const tokens = [
        sign(claims(), rsa.privateKey, { algorithm: 'RS256' }),
        `${hsHeader}.${hsPayload}.${hsSignature}`,
        `${part({ alg: 'none' })}.${part(claims())}.`,
      ];
      for (const token of tokens) expect(await refusal(t, token)).toMatch(/^ERR_JOSE_ALG_NOT_ALLOWED/);
    });

    it('requires exp and sub, and refuses iat in the future and nbf ahead', async () => {
      const withoutExp = claims();
      delete withoutExp.exp;
      const withoutSub = claims();
      delete withoutSub.sub;
      expect(await refusal(t, await eddsa(ed.privateKey, withoutExp))).toMatch(/^ERR_JWT_CLAIM_VALIDATION_FAILED: missing required "exp"/);
      expect(await refusal(t, await eddsa(ed.privateKey, withoutSub))).toBe('missing sub claim');
      expect(await refusal(t, await eddsa(ed.privateKey, claims({ iat: now() + 3600 })))).toBe('iat in the future');
      expect(await refusal(t, await eddsa(ed.privateKey, claims({ nbf: now() + 3600 })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: "nbf"/,
      );
    });

    it('refuses a valid token on a route needing a scope it lacks with 403', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: { authorization: `Bearer ${await eddsa(ed.privateKey)}` },
        payload: { name: 'x' },
      });
      expect(response.statusCode).toBe(403);
    });

    it('serves a repeated token from the verified-token cache and verifies a one-byte change afresh', async () => {
      // Every jose verification asks the key store for the key: its calls count the verifications (calls through).
      const keyLookups = jest.spyOn(t.app.get(JwtKeyStore), 'keyFor');
      try {
        const token = await eddsa(ed.privateKey, claims({ sub: 'cached' }));
        expect((await listItems(t, token)).statusCode).toBe(200);
        expect((await listItems(t, token)).statusCode).toBe(200);
        expect(keyLookups).toHaveBeenCalledTimes(1);
        const [header, payload, signature] = token.split('.');
        const changed = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
        expect(await refusal(t, changed)).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
        expect(keyLookups).toHaveBeenCalledTimes(2);
      } finally {
        keyLookups.mockRestore();
      }
    });
  });

  describe('static public key, AUTH_JWT_ALGORITHMS=EdDSA', () => {
    const ed = generateKeyPairSync('ed25519');
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ AUTH_JWT_PUBLIC_KEY: pemOf(ed.publicKey), AUTH_JWT_ALGORITHMS: 'EdDSA' });
    });
    afterAll(async () => t.close());

    it('accepts an EdDSA token (no iss/aud configured)', async () => {
      const token = await eddsa(ed.privateKey, { sub: 'bob', scope: 'items:read', exp: now() + 60 });
      expect((await listItems(t, token)).statusCode).toBe(200);
    });
  });

  describe('at boot', () => {
    it('refuses EdDSA with an RSA key', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const boot = bootTestApp({ AUTH_JWT_PUBLIC_KEY: pemOf(rsa.publicKey), AUTH_JWT_ALGORITHMS: 'EdDSA' });
      await expect(boot).rejects.toThrow(ConfigValidationError);
      await expect(boot).rejects.toThrow(/AUTH_JWT_ALGORITHMS: EdDSA cannot be verified with this rsa key/);
    });

    it('refuses EdDSA mixed with RS256', async () => {
      const ed = generateKeyPairSync('ed25519');
      const boot = bootTestApp({ AUTH_JWT_PUBLIC_KEY: pemOf(ed.publicKey), AUTH_JWT_ALGORITHMS: 'EdDSA,RS256' });
      await expect(boot).rejects.toThrow(ConfigValidationError);
      await expect(boot).rejects.toThrow(/AUTH_JWT_ALGORITHMS: mixes algorithm families \(EdDSA, RS\)/);
    });
  });
});
