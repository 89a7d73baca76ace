import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CacheResponse, Public } from '../../../src/core';

/**
 * Test-only: stands in for the authentication guard (not in this tree yet).
 * `X-Test-Subject: alice` makes the request authenticated as `alice`; without
 * it the request is anonymous. Real auth sets `request.principal` the same way.
 */
@Injectable()
class TestPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const subject = request.headers['x-test-subject'];
    if (typeof subject === 'string') {
      request.principal = { subject, issuer: 'https://issuer.test', audience: ['api'], scopes: [], roles: [], claims: { sub: subject } };
    }
    return true;
  }
}

/** Counts handler runs, so a test can tell a cached answer from a computed one. */
export class HandlerCalls {
  count = 0;
}

/**
 * Test-only routes using `@CacheResponse()`. `@Public()` so the real
 * authentication guard, once merged, lets the test guard decide the principal.
 */
@Public()
@UseGuards(TestPrincipalGuard)
@Controller('cache-test')
class CacheTestController {
  constructor(private readonly calls: HandlerCalls) {}

  @Get('counter')
  @CacheResponse(60)
  counter(@Query() query: Record<string, string>): { call: number; query: Record<string, string>; at: Date } {
    return { call: ++this.calls.count, query, at: new Date('2026-01-02T03:04:05.678Z') };
  }

  @Get('me')
  @CacheResponse()
  me(): { call: number } {
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

/** Mount with `bootTestApp(env, [CacheTestModule])`. */
@Module({ controllers: [CacheTestController], providers: [HandlerCalls, TestPrincipalGuard] })
export class CacheTestModule {}
