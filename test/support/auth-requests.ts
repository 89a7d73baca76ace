import type { TestApp } from './test-app';

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
