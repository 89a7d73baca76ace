import { ConfigValidationError } from '../config/config.error';
import { loadConfig } from '../settings/load-config';
import { retryAfterMs } from './retry-after';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('named upstreams (UPSTREAM_<NAME>_*)', () => {
  it('declares an upstream by its URL, with the HTTP_CLIENT_* and CIRCUIT_BREAKER_* defaults', () => {
    const config = loadConfig({ UPSTREAM_BILLING_URL: 'https://billing.internal/v1', CIRCUIT_BREAKER_FAILURES: '7' });
    expect(Object.keys(config.httpClient.upstreams)).toEqual(['billing']);
    expect(config.httpClient.upstreams.billing).toEqual({
      name: 'billing',
      url: new URL('https://billing.internal/v1'),
      connectTimeoutSeconds: 2,
      timeoutSeconds: 10,
      retries: 2,
      connections: 32,
      maxResponseBytes: 10 * 1024 * 1024,
      circuitBreakerFailures: 7,
      circuitBreakerHalfOpenAfterSeconds: 5,
      readiness: 'none',
      readinessPath: '/',
    });
  });

  it('takes each upstream’s own values over the defaults, names with underscores included', () => {
    const config = loadConfig({
      HTTP_CLIENT_RETRIES: '4',
      UPSTREAM_LLM_GATEWAY_URL: 'http://llm:8080',
      UPSTREAM_LLM_GATEWAY_CONNECT_TIMEOUT_SECONDS: '0.5',
      UPSTREAM_LLM_GATEWAY_TIMEOUT_SECONDS: '120',
      UPSTREAM_LLM_GATEWAY_CONNECTIONS: '4',
      UPSTREAM_LLM_GATEWAY_MAX_RESPONSE_BYTES: '65536',
      UPSTREAM_LLM_GATEWAY_CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '30',
      UPSTREAM_LLM_GATEWAY_READINESS: 'critical',
      UPSTREAM_LLM_GATEWAY_READINESS_PATH: '/healthz',
    });
    expect(config.httpClient.upstreams.llm_gateway).toMatchObject({
      connectTimeoutSeconds: 0.5,
      timeoutSeconds: 120,
      retries: 4,
      connections: 4,
      maxResponseBytes: 65536,
      circuitBreakerHalfOpenAfterSeconds: 30,
      readiness: 'critical',
      readinessPath: '/healthz',
    });
  });

  it('lists every bad upstream variable with the chassis’s own, never echoing a URL', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      UPSTREAM_BILLING_URL: 'ftp://user:secret@billing',
      UPSTREAM_BILLING_RETRIES: 'many',
      UPSTREAM_BILLING_READINESS: 'always',
      UPSTREAM_SEARCH_TIMEOUT_SECONDS: '5',
      UPSTREAM_SEARCH_COLOUR: 'blue',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        'UPSTREAM_BILLING_URL: must be an http:// or https:// URL',
        'UPSTREAM_BILLING_RETRIES: must be an integer (got "many")',
        'UPSTREAM_BILLING_READINESS: must be one of none, non-critical, critical (got "always")',
        'UPSTREAM_SEARCH_URL: required, as other UPSTREAM_SEARCH_* variables are set',
        expect.stringMatching(/^UPSTREAM_SEARCH_COLOUR: not an upstream setting/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('refuses a URL with a query string', () => {
    expect(problemsOf({ UPSTREAM_A_URL: 'http://a/?token=x' })).toEqual(['UPSTREAM_A_URL: must not have a query or fragment']);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');

  it('reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3)', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 03 Dec 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Thu, 03 Dec 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-1', now)).toBeUndefined();
  });
});
