import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { HeaderValidationPipe } from './header-validation.pipe';

const Headers = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().headers,
);

/**
 * The request's headers, validated and transformed like a body: the
 * parameter's type is a class whose properties are lower-case header names
 * with class-validator rules. A missing or invalid header answers the same
 * 400 problem as an invalid body, each error with `location: "header"` and a
 * pointer such as `#/x-api-version`; headers the class does not declare are
 * left out of the value, not refused.
 *
 * @example
 * class ApiVersionHeaders {
 *   @Matches(/^\d{4}-\d{2}-\d{2}$/)
 *   'x-api-version'!: string;
 * }
 * list(@RequestHeaders() headers: ApiVersionHeaders) { … }
 */
export function RequestHeaders(): ParameterDecorator {
  return Headers(new HeaderValidationPipe());
}
