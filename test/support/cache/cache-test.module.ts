import { Controller, Get, HttpCode, Module, NotFoundException, Post, Query } from '@nestjs/common';
import { CacheResponse, Public } from '../../../src/core';

/** Counts handler runs, so a test can tell a cached answer from a computed one. */
export class HandlerCalls {
  count = 0;
}

/** Test-only public routes using `@CacheResponse()` (anonymous callers). */
@Public()
@Controller('cache-test')
class CacheTestController {
  constructor(private readonly calls: HandlerCalls) {}

  @Get('counter')
  @CacheResponse(60)
  counter(@Query() query: Record<string, string>): { call: number; query: Record<string, string>; at: Date } {
    return { call: ++this.calls.count, query, at: new Date('2026-01-02T03:04:05.678Z') };
  }

  @Get('anonymous-me')
  @CacheResponse()
  anonymousMe(): { call: number } {
    return { call: ++this.calls.count };
  }

  @Get('accepted')
  @HttpCode(202)
  @CacheResponse(60)
  accepted(): { call: number } {
    return { call: ++this.calls.count };
  }

  @Get('missing')
  @CacheResponse(60)
  missing(): never {
    ++this.calls.count;
    throw new NotFoundException('nothing here');
  }

  @Post('counter')
  @HttpCode(200)
  @CacheResponse(60)
  post(): { call: number } {
    return { call: ++this.calls.count };
  }
}

/** An authenticated route: its response cache key carries the verified principal. */
@Controller('cache-test')
class AuthenticatedCacheTestController {
  constructor(private readonly calls: HandlerCalls) {}

  @Get('me')
  @CacheResponse()
  me(): { call: number } {
    return { call: ++this.calls.count };
  }
}

/** Mount with `bootTestApp(env, { after: [CacheTestModule] })`. */
@Module({ controllers: [CacheTestController, AuthenticatedCacheTestController], providers: [HandlerCalls] })
export class CacheTestModule {}
