import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../auth/auth-settings.rules';
import { ConfigValidationError } from '../config/config.error';
import { loadConfig, type EnvSource } from './load-config';

const SECRET = 'a-real-random-secret-of-more-than-32-bytes-0123';
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const production = { NODE_ENV: 'production', AUTH_JWT_ISSUER: 'https://idp/', AUTH_JWT_AUDIENCE: 'api' };

/** The problems a configuration is refused with (fails the test if it is accepted). */
function refusal(env: EnvSource): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return [...(error as ConfigValidationError).problems];
  }
  throw new Error('configuration was accepted');
}

describe('authentication settings', () => {
  it('defaults to the development secret, HS256, outside production', () => {
    const { auth } = loadConfig({ NODE_ENV: 'development' });
    expect(auth).toMatchObject({ mode: 'secret', secret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true, algorithms: ['HS256'] });
    expect(auth.issuers).toBeUndefined();
  });

  it('selects the mode from the one key setting given', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET }).auth).toMatchObject({ mode: 'secret', usesDevelopmentSecret: false });
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: rsaPem }).auth).toMatchObject({ mode: 'public-key', algorithms: ['RS256'] });
    expect(loadConfig({ AUTH_JWKS_URI: 'https://idp/jwks' }).auth).toMatchObject({ mode: 'jwks', algorithms: ['RS256'] });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ec }).auth.algorithms).toEqual(['ES384']);
  });

  it('refuses mixed modes, naming every variable involved', () => {
    const problems = refusal({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_PUBLIC_KEY: rsaPem, AUTH_JWKS_URI: 'https://idp/jwks' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URI']);
    expect(problems[0]).toContain('set exactly one of');
  });

  it('refuses a short secret without echoing it', () => {
    const [problem] = refusal({ AUTH_JWT_SECRET: 'short-secret' });
    expect(problem).toBe('AUTH_JWT_SECRET: must be at least 32 bytes (256 bits)');
  });

  it('refuses algorithm lists that mix families, include none, or do not fit the mode', () => {
    expect(refusal({ AUTH_JWKS_URI: 'https://idp/jwks', AUTH_JWT_ALGORITHMS: 'RS256,ES256' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: mixes/);
    expect(refusal({ AUTH_JWT_ALGORITHMS: 'none' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: Invalid option/);
    expect(refusal({ AUTH_JWT_ALGORITHMS: 'RS256' })[0]).toContain('a shared secret verifies HS256, HS384 or HS512 only');
    expect(refusal({ AUTH_JWKS_URI: 'https://idp/jwks', AUTH_JWT_ALGORITHMS: 'HS256' })[0]).toContain(
      'HS* algorithms need AUTH_JWT_SECRET',
    );
    expect(refusal({ AUTH_JWT_PUBLIC_KEY: rsaPem, AUTH_JWT_ALGORITHMS: 'ES256' })[0]).toContain('cannot be verified with this rsa key');
  });

  describe('EdDSA (Ed25519, RFC 8037)', () => {
    const ed25519Pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

    it('infers EdDSA from an Ed25519 public key and accepts it listed explicitly', () => {
      expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ed25519Pem }).auth).toMatchObject({ mode: 'public-key', algorithms: ['EdDSA'] });
      expect(loadConfig({ AUTH_JWT_PUBLIC_KEY: ed25519Pem, AUTH_JWT_ALGORITHMS: 'EdDSA' }).auth.algorithms).toEqual(['EdDSA']);
      expect(loadConfig({ AUTH_JWKS_URI: 'https://idp/jwks', AUTH_JWT_ALGORITHMS: 'EdDSA' }).auth).toMatchObject({
        mode: 'jwks',
        algorithms: ['EdDSA'],
      });
    });

    it('refuses EdDSA with an RSA or EC key, and RS256/ES256 with an Ed25519 key', () => {
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: rsaPem, AUTH_JWT_ALGORITHMS: 'EdDSA' })).toEqual([
        'AUTH_JWT_ALGORITHMS: EdDSA cannot be verified with this rsa key',
      ]);
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ec, AUTH_JWT_ALGORITHMS: 'EdDSA' })).toEqual([
        'AUTH_JWT_ALGORITHMS: EdDSA cannot be verified with this ec key',
      ]);
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ed25519Pem, AUTH_JWT_ALGORITHMS: 'RS256' })).toEqual([
        'AUTH_JWT_ALGORITHMS: RS256 cannot be verified with this ed25519 key',
      ]);
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ed25519Pem, AUTH_JWT_ALGORITHMS: 'ES256' })[0]).toContain(
        'cannot be verified with this ed25519 key',
      );
    });

    it('refuses EdDSA mixed with another family, and with a shared secret', () => {
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ed25519Pem, AUTH_JWT_ALGORITHMS: 'EdDSA,RS256' })[0]).toBe(
        'AUTH_JWT_ALGORITHMS: mixes algorithm families (EdDSA, RS); list algorithms of one family only (prevents algorithm confusion)',
      );
      expect(refusal({ AUTH_JWKS_URI: 'https://idp/jwks', AUTH_JWT_ALGORITHMS: 'ES256,EdDSA' })[0]).toMatch(/^AUTH_JWT_ALGORITHMS: mixes/);
      expect(refusal({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ALGORITHMS: 'EdDSA' })[0]).toContain(
        'a shared secret verifies HS256, HS384 or HS512 only',
      );
    });

    it('refuses an Ed448 key (EdDSA here means Ed25519 only)', () => {
      const ed448 = generateKeyPairSync('ed448').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ed448 })).toEqual([
        'AUTH_JWT_PUBLIC_KEY: unsupported key type (use an RSA, a P-256/384/521 EC or an Ed25519 key)',
      ]);
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: ed448, AUTH_JWT_ALGORITHMS: 'EdDSA' })).toEqual([
        'AUTH_JWT_ALGORITHMS: EdDSA cannot be verified with this ed448 key',
      ]);
    });
  });

  it('refuses a private key, an unreadable file and text that is no key', () => {
    const privatePem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(refusal({ AUTH_JWT_PUBLIC_KEY: privatePem })).toEqual([
      'AUTH_JWT_PUBLIC_KEY: is a private key; give the public key (or certificate) only',
    ]);
    expect(refusal({ AUTH_JWT_PUBLIC_KEY: '/nonexistent/key.pem' })).toEqual(['AUTH_JWT_PUBLIC_KEY: cannot read the key file (ENOENT)']);
    const dir = mkdtempSync(join(tmpdir(), 'auth-'));
    try {
      writeFileSync(join(dir, 'bad.pem'), '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n');
      expect(refusal({ AUTH_JWT_PUBLIC_KEY: join(dir, 'bad.pem') })).toEqual([
        'AUTH_JWT_PUBLIC_KEY: is not a PEM public key or certificate',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a JWKS URI that is not http(s)', () => {
    expect(refusal({ AUTH_JWKS_URI: 'file:///etc/jwks.json' })[0]).toBe(
      'AUTH_JWKS_URI: must be an http(s):// URL (got "file:///etc/jwks.json")',
    );
  });

  describe('in production', () => {
    it('refuses the development secret (no key setting) and asks for one', () => {
      expect(refusal({ ...production })).toEqual([
        'AUTH_JWT_SECRET: one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URI is required in production (the development secret is refused)',
      ]);
      expect(refusal({ ...production, AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET })[0]).toMatch(
        /^AUTH_JWT_SECRET: the development or a placeholder secret/,
      );
      expect(refusal({ ...production, AUTH_JWT_SECRET: 'changeme-changeme-changeme-changeme-1234' })[0]).toMatch(/placeholder/);
    });

    it('requires issuer and audience, and https for JWKS', () => {
      const problems = refusal({ NODE_ENV: 'production', AUTH_JWKS_URI: 'http://idp/jwks' });
      expect(problems.map((problem) => problem.split(':')[0])).toEqual(['AUTH_JWKS_URI', 'AUTH_JWT_ISSUER', 'AUTH_JWT_AUDIENCE']);
    });

    it('lists authentication problems together with every other refused setting, in one error', () => {
      const problems = refusal({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://app:changeme@db:5432/app',
        DATABASE_LOGGING: 'true',
        LOG_FORMAT: 'pretty',
      });
      expect(problems.map((problem) => problem.split(':')[0])).toEqual([
        'DATABASE_URL',
        'DATABASE_LOGGING',
        'LOG_FORMAT',
        'AUTH_JWT_SECRET',
        'AUTH_JWT_ISSUER',
        'AUTH_JWT_AUDIENCE',
      ]);
    });

    it('accepts a complete production setting', () => {
      const { auth } = loadConfig({ ...production, AUTH_JWKS_URI: 'https://idp/jwks', AUTH_JWT_AUDIENCE: 'api,api2' });
      expect(auth).toMatchObject({ mode: 'jwks', issuers: ['https://idp/'], audiences: ['api', 'api2'] });
    });
  });
});
