/**
 * The authentication settings production insists on (a real secret, an
 * issuer and an audience), for tests that load or boot with
 * `NODE_ENV=production` and are about something else.
 */
export const PRODUCTION_AUTH_ENV: Readonly<Record<string, string>> = {
  AUTH_JWT_SECRET: 'test-only-production-secret-0123456789abcdef',
  AUTH_JWT_ISSUER: 'https://issuer.test/',
  AUTH_JWT_AUDIENCE: 'nest-chassis-test',
};
