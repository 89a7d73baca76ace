import { applyDecorators, createParamDecorator, type ExecutionContext, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import type { Precondition } from './precondition';
import { VersionedResourceInterceptor } from './versioned-resource.interceptor';

/**
 * Conditional requests (RFC 9110 §13) on a route that returns one versioned
 * entity (an object with an integer `version`, e.g. a TypeORM `@VersionColumn()`):
 *
 * - The response carries a strong `ETag: "<version>"`. A `GET`/`HEAD` whose
 *   `If-None-Match` matches gets **304** without content (for every route
 *   that sends an `ETag`).
 * - On `PUT`/`PATCH`/`DELETE`, `If-Match` is parsed into a {@link Precondition}
 *   the handler reads with `@CurrentPrecondition()` and passes to its service,
 *   which writes only if the stored version still matches — atomically, in the
 *   `WHERE` of the update — and throws `PreconditionFailedError` (**412**)
 *   otherwise. With `CONDITIONAL_REQUIRE_IF_MATCH=true` a write without
 *   `If-Match` is refused with **428**.
 *
 * See docs/safe-writes.md.
 */
export const VersionedResource = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseInterceptors(VersionedResourceInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'GET/HEAD: the ETag you hold; 304 when it is still current.' }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'PUT/PATCH/DELETE: the ETag you read; 412 when the resource changed since.',
    }),
    ApiResponse({ status: 304, description: 'Not Modified: the ETag in If-None-Match is current.' }),
    ApiProblemResponses(412, 428),
  );

/** The write's `If-Match` as a {@link Precondition} (`{ kind: 'none' }` without one); on `@VersionedResource()` routes. */
export const CurrentPrecondition = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Precondition =>
    context.switchToHttp().getRequest<FastifyRequest>().precondition ?? { kind: 'none' },
);
