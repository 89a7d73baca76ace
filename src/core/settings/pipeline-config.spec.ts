import { loadConfig } from './load-config';
import { PRODUCTION_AUTH_ENV } from '../../../test/support/production-env';

describe('request pipeline configuration', () => {
  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({
      allowedHosts: [],
      requestTimeoutSeconds: 30,
      keepAliveTimeoutSeconds: 65,
      headersTimeoutSeconds: 20,
      compression: { enabled: true, thresholdBytes: 1024 },
    });
    expect(config.cors.origins).toEqual([]);
    expect(config.security.hsts.enabled).toBe(false);
    expect(config.rateLimit).toMatchObject({
      enabled: true,
      defaultPolicy: { limit: 100, windowSeconds: 60 },
      policies: {},
      preAuth: { limit: 1000, windowSeconds: 60 },
      failMode: 'open',
      redisKeyPrefix: 'nest-chassis:rate-limit:',
    });
  });

  it('turns HSTS on by default in production', () => {
    expect(loadConfig({ ...PRODUCTION_AUTH_ENV, NODE_ENV: 'production' }).security.hsts.enabled).toBe(true);
  });

  it('parses named rate-limit policies', () => {
    expect(loadConfig({ RATE_LIMIT_POLICIES: 'login=5/60, export=10/3600' }).rateLimit.policies).toEqual({
      login: { limit: 5, windowSeconds: 60 },
      export: { limit: 10, windowSeconds: 3600 },
    });
    expect(() => loadConfig({ RATE_LIMIT_POLICIES: 'login:5/60' })).toThrow(/RATE_LIMIT_POLICIES: must be name=limit\/windowSeconds/);
    expect(() => loadConfig({ RATE_LIMIT_POLICIES: 'default=5/60' })).toThrow(/"default" is the default policy/);
  });

  it('refuses CORS "*" with credentials, and allows it without', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' })).toThrow(/CORS_ORIGINS: "\*" with CORS_CREDENTIALS=true/);
    expect(loadConfig({ CORS_ORIGINS: '*' }).cors.origins).toEqual(['*']);
  });

  it('refuses origins with a path and malformed host names', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://api.example.com' })).toThrow(/ALLOWED_HOSTS/);
    expect(loadConfig({ ALLOWED_HOSTS: 'API.example.com,.internal' }).http.allowedHosts).toEqual(['api.example.com', '.internal']);
  });
});
