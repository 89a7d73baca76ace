import { ConfigValidationError } from '../../src/core/config/config.error';
import { bootTestApp } from '../support/test-app';

describe('authentication settings at boot (e2e)', () => {
  it('refuses to start with mixed key modes, listing every variable', async () => {
    const boot = bootTestApp({ AUTH_JWT_SECRET: 'x'.repeat(40), AUTH_JWKS_URI: 'https://idp.test/jwks' });
    await expect(boot).rejects.toThrow(ConfigValidationError);
    await expect(boot).rejects.toThrow(/AUTH_JWT_SECRET: conflicts with AUTH_JWKS_URI[^]*AUTH_JWKS_URI: conflicts with AUTH_JWT_SECRET/);
  });

  it('refuses to start in production with the development secret and no issuer or audience', async () => {
    const boot = bootTestApp({ NODE_ENV: 'production' });
    await expect(boot).rejects.toThrow(/AUTH_JWT_SECRET: one of[^]*AUTH_JWT_ISSUER: required in production[^]*AUTH_JWT_AUDIENCE: required/);
  });
});
