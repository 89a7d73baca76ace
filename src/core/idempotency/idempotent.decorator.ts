import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotency.tokens';

/**
 * Makes a route safe to retry with an `Idempotency-Key` header (IETF HTTPAPI
 * draft "The Idempotency-Key HTTP Header Field"). Opt-in, per route or controller;
 * generated create routes carry it.
 *
 * - The first request with a key runs; its response (status, `Location`,
 *   `ETag`, `Content-Location`, `Last-Modified` and body) is stored for
 *   `IDEMPOTENCY_TTL_SECONDS` (default 24 h). A retry with the same key gets
 *   that response again, with `Idempotent-Replayed: true`, without running
 *   the handler.
 * - While the first is still running, a retry gets **409** problem+json with
 *   `Retry-After`. A key reused for another request (method, target or body,
 *   compared as canonical JSON) gets **422**. A malformed key (repeated,
 *   empty, over 255 characters, not printable ASCII) gets **400**, and so does
 *   a missing one when `required` is set.
 * - Errors are not stored (the claim is released): a retry runs the handler
 *   again. Requests refused before the handler (401, 403, 429, validation 400)
 *   never claim a key.
 * - Keys belong to a caller: the principal (issuer and subject), or the client
 *   address on `@Public()` routes; and to the method and route template.
 * - Store: Redis with `REDIS_URL` (shared by all replicas), else in memory (one
 *   process). When Redis fails, `IDEMPOTENCY_FAIL_MODE` decides: `closed`
 *   (default) answers 503 with `Retry-After`, `open` runs the handler unprotected.
 *
 * See docs/safe-writes.md.
 */
export const Idempotent = (options: IdempotentOptions = {}): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_ROUTE, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: options.required ?? false,
      description:
        'A unique key per operation (e.g. a UUID), reused only to retry it: a retry gets the first response again, with `Idempotent-Replayed: true`.',
      schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    }),
    ApiProblemResponses(400, 409, 422, 503),
  );
