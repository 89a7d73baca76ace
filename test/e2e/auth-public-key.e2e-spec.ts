import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { bootTestApp, type TestApp } from '../support/test-app';

const ISSUER = 'https://idp.test/';
const AUDIENCE = 'items-api';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: object = {}) => ({ sub: 'alice', scope: 'items:read', iss: ISSUER, aud: AUDIENCE, ...extra });
const inject = (t: TestApp, token: string) => t.app.inject({ method: 'GET', url: '/items', headers: { authorization: `Bearer ${token}` } });

describe('authentication, static public key mode (e2e)', () => {
  describe('RS256, PEM given inline', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    let t: TestApp;
    beforeAll(async () => {
      t = await bootTestApp({ AUTH_JWT_PUBLIC_KEY: publicPem, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
    });
    afterAll(async () => t.close());

    it('accepts a token signed with the private key (algorithm RS256 inferred from the key)', async () => {
      const token = sign(claims(), rsa.privateKey, { algorithm: 'RS256', expiresIn: 60 });
      const response = await inject(t, token);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ total: 0 });
    });

    it('refuses an HS256 token signed with the public key as the HMAC secret (algorithm confusion)', async () => {
      const header = part({ alg: 'HS256', typ: 'JWT' });
      const payload = part({ ...claims(), exp: Math.floor(Date.now() / 1000) + 60 });
      const { createHmac } = await import('node:crypto');
      const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
      const response = await inject(t, `${header}.${payload}.${signature}`);
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('refuses alg none, another key, and another RSA algorithm than the configured one', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const exp = Math.floor(Date.now() / 1000) + 60;
      const tokens = [
        `${part({ alg: 'none' })}.${part({ ...claims(), exp })}.`,
        sign(claims(), other.privateKey, { algorithm: 'RS256', expiresIn: 60 }),
        sign(claims(), rsa.privateKey, { algorithm: 'PS256', expiresIn: 60 }),
        sign(claims(), rsa.privateKey, { algorithm: 'RS512', expiresIn: 60 }),
      ];
      for (const token of tokens) expect((await inject(t, token)).statusCode).toBe(401);
    });
  });

  describe('ES256, PEM in a file', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const dir = mkdtempSync(join(tmpdir(), 'auth-pem-'));
    const file = join(dir, 'idp.pem');
    let t: TestApp;
    beforeAll(async () => {
      writeFileSync(file, ec.publicKey.export({ type: 'spki', format: 'pem' }));
      t = await bootTestApp({
        AUTH_JWT_PUBLIC_KEY: file,
        AUTH_JWT_ALGORITHMS: 'ES256',
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      });
    });
    afterAll(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('accepts an ES256 token and refuses one signed by another EC key', async () => {
      expect((await inject(t, sign(claims(), ec.privateKey, { algorithm: 'ES256', expiresIn: 60 }))).statusCode).toBe(200);
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect((await inject(t, sign(claims(), other.privateKey, { algorithm: 'ES256', expiresIn: 60 }))).statusCode).toBe(401);
    });

    it('refuses an expired token and one for another audience', async () => {
      const expired = sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 3600 }, ec.privateKey, { algorithm: 'ES256' });
      expect((await inject(t, expired)).statusCode).toBe(401);
      const elsewhere = sign(claims({ aud: 'other-api' }), ec.privateKey, { algorithm: 'ES256', expiresIn: 60 });
      expect((await inject(t, elsewhere)).statusCode).toBe(401);
    });
  });
});
