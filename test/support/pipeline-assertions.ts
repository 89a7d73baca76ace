import type { Response } from 'light-my-request';
import { API_SECURITY_HEADERS } from '../../src/core/security/security-headers';

/** Asserts the pipeline's invariants on any response: a request id, a correlation id, the API security headers. */
export function expectPipelineHeaders(response: Response): void {
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers['x-correlation-id']).toEqual(expect.any(String));
  for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
}

/** Asserts a problem+json body that carries this response's ids. */
export function expectProblem(response: Response, status: number): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({ status, requestId: response.headers['x-request-id'], correlationId: response.headers['x-correlation-id'] });
  return body;
}
