import { type CallHandler, type ExecutionContext, HttpStatus, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, type Observable, of, switchMap } from 'rxjs';
import { Readable } from 'node:stream';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { AppCache } from './app-cache';
import { CACHE_RESPONSE_TTL } from './cache.tokens';
import { responseCacheKey } from './response-cache-key';

/** A cached response: the handler's return value and when it was stored (ms since epoch). */
interface CachedResponse {
  body: unknown;
  storedAt: number;
}

const CACHEABLE_METHODS = new Set(['GET', 'HEAD']);

/** The interceptor behind `@CacheResponse()` (cache-response.decorator.ts); see there for the rules. */
@Injectable()
export class CacheResponseInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: AppCache,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!CACHEABLE_METHODS.has(request.method)) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const key = responseCacheKey(request);
    const lookup = this.bypassesCache(request) ? Promise.resolve(undefined) : this.cache.get<CachedResponse>(key);
    return from(lookup).pipe(
      switchMap((cached) => {
        if (cached) return of(this.hit(reply, cached));
        void reply.header('X-Cache', 'MISS');
        return next.handle().pipe(switchMap((body) => from(this.store(context, reply, key, body))));
      }),
    );
  }

  private hit(reply: FastifyReply, cached: CachedResponse): unknown {
    const ageSeconds = Math.max(0, Math.floor((Date.now() - cached.storedAt) / 1000));
    void reply.header('X-Cache', 'HIT').header('Age', String(ageSeconds));
    return cached.body;
  }

  /** Stores a 200 response's body, then hands it on unchanged. */
  private async store(context: ExecutionContext, reply: FastifyReply, key: string, body: unknown): Promise<unknown> {
    if (this.statusOf(context, reply) === HttpStatus.OK && isCacheableBody(body)) {
      const ttlSeconds = this.reflector.getAllAndOverride<number | null>(CACHE_RESPONSE_TTL, [context.getHandler(), context.getClass()]);
      await this.cache.set<CachedResponse>(key, { body, storedAt: Date.now() }, ttlSeconds ?? undefined);
    }
    return body;
  }

  /**
   * The status Nest will send: `@HttpCode()` if declared (applied after the
   * interceptors run), else what the handler set on the reply, else 200.
   */
  private statusOf(context: ExecutionContext, reply: FastifyReply): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    return declared ?? reply.statusCode;
  }

  private bypassesCache(request: FastifyRequest): boolean {
    if (!this.config.cache.respectNoCache) return false;
    const directives = String(request.headers['cache-control'] ?? '').toLowerCase();
    return directives.split(',').some((directive) => directive.trim() === 'no-cache');
  }
}

/** JSON-able results only: not undefined, Buffers or streams. */
function isCacheableBody(body: unknown): boolean {
  return body !== undefined && !Buffer.isBuffer(body) && !(body instanceof Readable);
}
