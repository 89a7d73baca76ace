import { createSecretKey } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { Scopes } from '../../src/core';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { ProbeController } from '../support/auth-probe.controller';
import { bootTestApp, type TestApp } from '../support/test-app';

@Controller('scoped')
@Scopes('base')
class ScopedController {
  @Get()
  @Scopes('extra')
  both() {
    return { ok: true };
  }
}

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'nest-chassis-api';
const SECRET = 'e2e-secret-0123456789-0123456789-0123456789';

/** base64url of a JSON object, for hand-made tokens. */
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('authentication, shared-secret mode (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp(
      { AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, LOG_LEVEL: 'debug' },
      { controllers: [ProbeController, ScopedController] },
    );
  });
  afterAll(async () => t.close());

  const get = (url: string, authorization?: string) =>
    t.app.inject({ method: 'GET', url, headers: authorization === undefined ? {} : { authorization } });
  const bearer = (token: string) => `Bearer ${token}`;
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a valid token and hands the handler a typed principal', async () => {
    const response = await get('/probe/me', bearer(t.token({ sub: 'alice', scope: 'a b', roles: ['r1'] })));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      subject: 'alice',
      issuer: ISSUER,
      audience: [AUDIENCE],
      scopes: ['a', 'b'],
      roles: ['r1'],
      claims: { sub: 'alice', iss: ISSUER },
    });
  });

  it('reports a static key as always ready', () => {
    const keys = t.app.get(JwtKeyStore);
    expect(keys.readiness()).toEqual({ status: 'up', detail: { mode: 'secret' } });
    expect(keys.retryAfterSeconds()).toBe(1);
  });

  it('keeps public routes public, with no principal, even with a bad token', async () => {
    expect((await get('/probe/public')).json()).toEqual({ principal: null });
    const withGarbage = await get('/probe/public', 'Bearer not.a.token');
    expect(withGarbage.statusCode).toBe(200);
  });

  it('authenticates routes that declare nothing (secure by default)', async () => {
    const response = await get('/probe/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  describe('refuses with 401 invalid_token, never a 500', () => {
    const key = createSecretKey(Buffer.from(SECRET));
    const valid = () => ({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300 });
    const signed = (payload: object, secret = key) => sign(payload, secret, { algorithm: 'HS256' });
    const goodToken = () => signed(valid());

    const cases: [string, () => string][] = [
      ['an expired token', () => bearer(signed({ ...valid(), exp: now() - 120 }))],
      ['a token not yet valid (nbf)', () => bearer(signed({ ...valid(), nbf: now() + 600 }))],
      ['a token issued in the future (iat)', () => bearer(signed({ ...valid(), iat: now() + 600 }))],
      ['a token without exp', () => bearer(signed({ sub: 'alice', iss: ISSUER, aud: AUDIENCE }))],
      ['a wrong issuer', () => bearer(signed({ ...valid(), iss: 'https://evil.test/' }))],
      ['no issuer', () => bearer(signed({ ...valid(), iss: undefined }))],
      ['a wrong audience', () => bearer(signed({ ...valid(), aud: 'another-api' }))],
      ['a missing sub', () => bearer(signed({ ...valid(), sub: undefined }))],
      ['an empty sub', () => bearer(signed({ ...valid(), sub: '' }))],
      ['a token signed with another secret', () => bearer(signed(valid(), createSecretKey(Buffer.from('x'.repeat(40)))))],
      ['alg none', () => bearer(`${part({ alg: 'none', typ: 'JWT' })}.${part(valid())}.`)],
      ['a disallowed HMAC algorithm (HS512 when HS256 is configured)', () => bearer(sign(valid(), key, { algorithm: 'HS512' }))],
      [
        'a tampered payload',
        () => {
          const [header, , signature] = goodToken().split('.');
          return bearer(`${header}.${part({ ...valid(), sub: 'mallory' })}.${signature}`);
        },
      ],
      [
        'a tampered signature',
        () => {
          const [header, payload, signature] = goodToken().split('.');
          const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
          return bearer(`${header}.${payload}.${flipped}`);
        },
      ],
      ['a malformed header (not JSON)', () => bearer(`${Buffer.from('{not json').toString('base64url')}.${part(valid())}.c2ln`)],
      ['a header that is not an object', () => bearer(`${part(['HS256'] as unknown as object)}.${part(valid())}.c2ln`)],
      ['a token with two parts', () => bearer(`${part({ alg: 'HS256' })}.${part(valid())}`)],
      ['a credential with characters outside b64token', () => 'Bearer abc def'],
      ['Bearer with nothing after it', () => 'Bearer'],
      ['an oversized token', () => bearer(signed({ ...valid(), padding: 'x'.repeat(9000) }))],
    ];

    it.each(cases)('%s', async (_name, authorization) => {
      const response = await get('/probe/me', authorization());
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 401, detail: 'The bearer token is invalid or has expired.' });
    });

    it('answers a non-Bearer scheme like a missing token (RFC 6750: no error code)', async () => {
      for (const authorization of ['Basic YWxpY2U6c2VjcmV0', `Token ${goodToken()}`, `Bearer${goodToken()}`]) {
        const response = await get('/probe/me', authorization);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    });

    it('accepts the scheme in any case and the untouched token', async () => {
      expect((await get('/probe/me', `bearer ${goodToken()}`)).statusCode).toBe(200);
      expect((await get('/probe/me', `BEARER  ${goodToken()}`)).statusCode).toBe(200);
    });

    it('logs why at debug level and never sends it', async () => {
      const expired = signed({ ...valid(), exp: now() - 120 });
      const response = await get('/probe/me', bearer(expired));
      const requestId = response.json().requestId;
      const line = t.logs.withMessage('Bearer token refused').find((entry) => entry.requestId === requestId);
      expect(line).toMatchObject({ level: 'debug', reason: 'TokenExpiredError: jwt expired' });
      expect(response.body).not.toContain('jwt expired');
      expect(JSON.stringify(t.logs.lines)).not.toContain(expired);
    });
  });

  it('serves a repeated token from the cache, and a token differing by one byte is verified afresh', async () => {
    const token = t.token({ sub: 'cached', scope: 'a' });
    expect((await get('/probe/me', bearer(token))).statusCode).toBe(200);
    expect((await get('/probe/me', bearer(token))).json().subject).toBe('cached');
    const [header, , signature] = token.split('.');
    const forged = `${header}.${part({ sub: 'cached', scope: 'a admin', exp: now() + 300, iss: ISSUER, aud: AUDIENCE })}.${signature}`;
    expect((await get('/probe/me', bearer(forged))).statusCode).toBe(401);
  });

  describe('scopes and roles', () => {
    it('answers 403 naming the missing role', async () => {
      const response = await get('/probe/admin', bearer(t.token({ roles: ['user'] })));
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.json()).toMatchObject({ status: 403, title: 'Forbidden', missingRoles: ['admin'] });
      expect(response.json().missingScopes).toBeUndefined();
      expect((await get('/probe/admin', bearer(t.token({ roles: ['admin'] })))).statusCode).toBe(200);
    });

    it('requires every listed scope and role, and names all that are missing', async () => {
      const response = await get('/probe/reports', bearer(t.token({ scope: 'reports:read', roles: ['admin'] })));
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ missingScopes: ['reports:export'], missingRoles: ['auditor'] });
      expect(response.json().detail).toBe('The bearer token lacks the required scopes reports:export and roles auditor.');
      expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="reports:export"');
      const all = bearer(t.token({ scope: 'reports:export reports:read', roles: ['auditor', 'admin'] }));
      expect((await get('/probe/reports', all)).statusCode).toBe(200);
    });

    it('adds up controller and handler scopes', async () => {
      expect((await get('/scoped', bearer(t.token({ scope: 'extra' })))).json().missingScopes).toEqual(['base']);
      expect((await get('/scoped', bearer(t.token({ scope: 'base' })))).json().missingScopes).toEqual(['extra']);
      expect((await get('/scoped', bearer(t.token({ scope: 'base extra' })))).statusCode).toBe(200);
    });

    it('reads scopes from scp (array or string) as well as scope', async () => {
      expect((await get('/scoped', bearer(t.token({ scp: ['base', 'extra'] })))).statusCode).toBe(200);
      expect((await get('/scoped', bearer(t.token({ scp: 'base', scope: 'extra' })))).statusCode).toBe(200);
    });
  });
});
