import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import type { AppConfig } from '../../src/core/config/app-config';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { ConfigValidationError } from '../../src/core/config/config.error';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { expectTokenRefused, listItems } from '../support/auth-requests';
import { EDDSA_AUDIENCE, EDDSA_ISSUER, eddsaClaims, signEddsa } from '../support/eddsa-tokens';
import { bootTestApp, type TestApp } from '../support/test-app';

const now = () => Math.floor(Date.now() / 1000);
/** base64url of a JSON object, for hand-made tokens. */
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('authentication, EdDSA (Ed25519) (e2e)', () => {
  describe('static public key, algorithm inferred from the Ed25519 key', () => {
    const ed = generateKeyPairSync('ed25519');
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({
        AUTH_JWT_PUBLIC_KEY: pemOf(ed.publicKey),
        AUTH_JWT_ISSUER: EDDSA_ISSUER,
        AUTH_JWT_AUDIENCE: EDDSA_AUDIENCE,
        LOG_LEVEL: 'debug',
      });
    });
    afterAll(async () => t.close());

    it('configures EdDSA and accepts a valid EdDSA token on a route needing items:read', async () => {
      expect(t.app.get<AppConfig>(APP_CONFIG).auth.algorithms).toEqual(['EdDSA']);
      const response = await listItems(t, await signEddsa(ed.privateKey));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ total: 0 });
    });

    it('refuses an expired token, another issuer and another audience with 401, logging why at debug level', async () => {
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, eddsaClaims({ exp: now() - 3600 })))).toMatch(/^ERR_JWT_EXPIRED/);
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, eddsaClaims({ iss: 'https://evil.test/' })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "iss"/,
      );
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, eddsaClaims({ aud: 'other-api' })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: unexpected "aud"/,
      );
    });

    it('refuses a tampered payload, a tampered signature and a token of another Ed25519 key', async () => {
      const [header, payload, signature] = (await signEddsa(ed.privateKey)).split('.');
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      const otherKey = generateKeyPairSync('ed25519').privateKey;
      const tokens = [
        `${header}.${part({ ...eddsaClaims(), sub: 'mallory' })}.${signature}`,
        `${header}.${payload}.${flipped}`,
        await signEddsa(otherKey),
      ];
      for (const token of tokens) expect(await expectTokenRefused(t, token)).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    });

    it('refuses an RS256 token, an HS256 token keyed with the public key, and alg none', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const hsHeader = part({ alg: 'HS256', typ: 'JWT' });
      const hsPayload = part(eddsaClaims());
      const hsSignature = createHmac('sha256', pemOf(ed.publicKey)).update(`${hsHeader}.${hsPayload}`).digest('base64url');
      const tokens = [
        sign(eddsaClaims(), rsa.privateKey, { algorithm: 'RS256' }),
        `${hsHeader}.${hsPayload}.${hsSignature}`,
        `${part({ alg: 'none' })}.${part(eddsaClaims())}.`,
      ];
      for (const token of tokens) expect(await expectTokenRefused(t, token)).toMatch(/^ERR_JOSE_ALG_NOT_ALLOWED/);
    });

    it('requires exp and sub, and refuses iat in the future and nbf ahead', async () => {
      const withoutExp = eddsaClaims();
      delete withoutExp.exp;
      const withoutSub = eddsaClaims();
      delete withoutSub.sub;
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, withoutExp))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: missing required "exp"/,
      );
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, withoutSub))).toBe('missing sub claim');
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, eddsaClaims({ iat: now() + 3600 })))).toBe('iat in the future');
      expect(await expectTokenRefused(t, await signEddsa(ed.privateKey, eddsaClaims({ nbf: now() + 3600 })))).toMatch(
        /^ERR_JWT_CLAIM_VALIDATION_FAILED: "nbf"/,
      );
    });

    it('refuses a valid token on a route needing a scope it lacks with 403', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/items',
        headers: { authorization: `Bearer ${await signEddsa(ed.privateKey)}` },
        payload: { name: 'x' },
      });
      expect(response.statusCode).toBe(403);
    });

    it('serves a repeated token from the verified-token cache and verifies a one-byte change afresh', async () => {
      // Every jose verification asks the key store for the key: its calls count the verifications (calls through).
      const keyLookups = jest.spyOn(t.app.get(JwtKeyStore), 'keyFor');
      try {
        const token = await signEddsa(ed.privateKey, eddsaClaims({ sub: 'cached' }));
        expect((await listItems(t, token)).statusCode).toBe(200);
        expect((await listItems(t, token)).statusCode).toBe(200);
        expect(keyLookups).toHaveBeenCalledTimes(1);
        const [header, payload, signature] = token.split('.');
        const changed = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
        expect(await expectTokenRefused(t, changed)).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
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
      const token = await signEddsa(ed.privateKey, { sub: 'bob', scope: 'items:read', exp: now() + 60 });
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
