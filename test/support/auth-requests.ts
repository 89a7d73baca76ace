import { setTimeout as sleep } from 'node:timers/promises';
import { JwtKeyStore } from '../../src/core/auth/keys/jwt-key-store';
import type { AppConfig } from '../../src/core/config/app-config';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import type { TestApp } from './test-app';

/**
 * Waits until the boot-time JWKS fetch has loaded keys, for as long as that
 * fetch may take (`AUTH_JWKS_TIMEOUT_SECONDS`, plus a second): on a loaded
 * machine it can outlast a shorter wait, and the test would then run with no keys.
 */
export async function signingKeysLoaded(t: TestApp): Promise<void> {
  const budgetMs = (t.app.get<AppConfig>(APP_CONFIG).auth.jwks.timeoutSeconds + 1) * 1000;
  const keys = t.app.get(JwtKeyStore);
  for (const started = Date.now(); keys.readiness().status === 'down' && Date.now() - started < budgetMs;) await sleep(20);
}

/** `GET /items` with a bearer token: an authenticated route any principal with `items:read` may call. */
export function listItems(t: TestApp, token: string) {
  return t.app.inject({ method: 'GET', url: '/items', headers: { authorization: `Bearer ${token}` } });
}

/**
 * Asserts the token is refused with a 401 problem (`error="invalid_token"`)
 * and returns the reason logged at debug level, which the response never
 * carries. The app must log at `debug`.
 */
export async function expectTokenRefused(t: TestApp, token: string): Promise<string> {
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
