import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { CacheResponseInterceptor } from './cache-response.interceptor';
import { CACHE_RESPONSE_TTL } from './cache.tokens';

/**
 * Caches this route's responses (opt-in, per route or controller).
 *
 * - Only GET and HEAD requests, and only 200 responses, are cached; errors never.
 * - The key is the route, the path, the normalized query and the caller: an
 *   authenticated caller's response is stored per principal (issuer + subject),
 *   an anonymous one shared. See `responseCacheKey`.
 * - A client's `Cache-Control: no-cache` skips the lookup (RFC 9111 §5.2.1.4)
 *   when `CACHE_RESPECT_NO_CACHE` is on; the fresh response is stored.
 * - Responses carry `X-Cache: HIT|MISS`; hits carry `Age` (seconds since stored, RFC 9111 §5.1).
 * - If the cache is down the route answers from the handler, uncached.
 *
 * The body is cached as JSON (Dates round-trip); handlers that stream, send
 * Buffers or write to the reply themselves are passed through uncached.
 *
 * @param ttlSeconds time to live in seconds; defaults to `CACHE_TTL_SECONDS`.
 */
export const CacheResponse = (ttlSeconds?: number): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(CACHE_RESPONSE_TTL, ttlSeconds ?? null), UseInterceptors(CacheResponseInterceptor));
