import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, tap } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { ProblemException } from '../errors/problem.exception';
import { formatEntityTag, parseEntityTagList } from './entity-tag';
import { type Precondition, preconditionOf } from './precondition';

declare module 'fastify' {
  interface FastifyRequest {
    /** The write's `If-Match`, parsed by `@VersionedResource()`; read it with `@CurrentPrecondition()`. */
    precondition?: Precondition;
  }
}

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE']);

/** The interceptor behind `@VersionedResource()` (versioned-resource.decorator.ts); see there for the rules. */
@Injectable()
export class VersionedResourceInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (WRITE_METHODS.has(request.method)) request.precondition = this.preconditionOf(request);
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((body) => {
        const version = versionOf(body);
        if (version !== undefined) void reply.header('etag', formatEntityTag(version));
      }),
    );
  }

  /** @throws ProblemException 428 when `If-Match` is missing and `CONDITIONAL_REQUIRE_IF_MATCH` is on. */
  private preconditionOf(request: FastifyRequest): Precondition {
    const header = request.headers['if-match'];
    if (header === undefined && this.config.conditional.requireIfMatch) {
      throw new ProblemException({
        status: 428,
        type: PROBLEM_TYPES.preconditionRequired,
        detail: 'This write requires an If-Match header with the ETag of the version you read (RFC 6585 §3).',
      });
    }
    return preconditionOf(header === undefined ? undefined : parseEntityTagList(header));
  }
}

/** The `version` of a returned entity: a non-negative integer, or undefined. */
function versionOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const version = (body as { version?: unknown }).version;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 ? version : undefined;
}
