import { generateKeyPairSync } from 'node:crypto';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import { JwksServer } from '../support/jwks-server';
import { expectTokenRefused, listItems, signingKeysLoaded } from '../support/auth-requests';
import { EDDSA_AUDIENCE, EDDSA_ISSUER, eddsaClaims, signEddsa } from '../support/eddsa-tokens';
import { bootTestApp, type TestApp } from '../support/test-app';

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
        AUTH_JWT_ISSUER: EDDSA_ISSUER,
        AUTH_JWT_AUDIENCE: EDDSA_AUDIENCE,
      });
      await signingKeysLoaded(t);
    });
    afterAll(async () => {
      await t.close();
      await server.stop();
    });

    it('keeps only the EdDSA key of the set and accepts a token signed with it', async () => {
      expect(t.app.get(JwtKeyStore).readiness()).toMatchObject({ status: 'up', detail: { mode: 'jwks', keys: 1 } });
      expect((await listItems(t, await signEddsa(ed.privateKey, eddsaClaims(), { kid: 'ed-1' }))).statusCode).toBe(200);
    });

    it('refuses a token of an unpublished key, an unknown kid and the RSA kid', async () => {
      const tokens = [
        await signEddsa(other.privateKey, eddsaClaims(), { kid: 'ed-1' }),
        await signEddsa(ed.privateKey, eddsaClaims(), { kid: 'unknown' }),
        await signEddsa(ed.privateKey, eddsaClaims(), { kid: 'rsa-1' }),
      ];
      const reasons = [];
      for (const token of tokens) reasons.push(await expectTokenRefused(t, token));
      expect(reasons[0]).toMatch(/^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
      expect(reasons[1]).toBe('no signing key for kid "unknown"');
      expect(reasons[2]).toBe('no signing key for kid "rsa-1"');
    });
  });
});
