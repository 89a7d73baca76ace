import { Body, Controller, Get, Header, Module, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { currentRequestContext, Public, PublicWrite, RateLimitPolicy, SkipThrottle, Throttle, type RequestContext } from '../../src/core';

/** What the slow handler saw, so a test can check the work was abandoned. */
export const slowHandlerState = { started: 0, aborted: 0 };

/** The context the `context-kept` handler captured, and whether its signal was aborted while the handler ran. */
export const keptContextState: { context?: RequestContext; abortedDuringRequest?: boolean } = {};

/**
 * Routes exercising pipeline layers. Test-only: registered by the e2e suites,
 * never by src. Public, so the layers before and after authentication can be
 * observed without a token; authenticated behaviour is tested on /items.
 */
@Public()
@Controller('pipeline-test')
export class PipelineTestController {
  @Get('context')
  async context(): Promise<unknown> {
    await new Promise((resolve) => setImmediate(resolve));
    const context = currentRequestContext();
    return { requestId: context?.requestId, correlationId: context?.correlationId };
  }

  /** Keeps the context past the response, as background work started by a handler would; does not read the signal. */
  @Get('context-kept')
  contextKept(): unknown {
    keptContextState.context = currentRequestContext();
    keptContextState.abortedDuringRequest = undefined;
    return { kept: true };
  }

  /** The same, reading the signal while the request is served. */
  @Get('context-kept-signal')
  contextKeptSignal(): unknown {
    keptContextState.context = currentRequestContext();
    keptContextState.abortedDuringRequest = keptContextState.context?.signal.aborted;
    return { kept: true };
  }

  @Post('context')
  async contextAfterBody(@Body() body: unknown): Promise<unknown> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const context = currentRequestContext();
    return { requestId: context?.requestId, correlationId: context?.correlationId, body };
  }

  @Get('client')
  client(@Req() request: FastifyRequest): unknown {
    return { ip: request.ip, protocol: request.protocol, host: request.host };
  }

  @Get('slow')
  async slow(): Promise<string> {
    slowHandlerState.started += 1;
    const signal = currentRequestContext()!.signal;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    slowHandlerState.aborted += 1;
    return 'too late';
  }

  /** The same with a body: the deadline must hold once the body has been read (fastify/fastify#6725). */
  @Post('slow')
  @PublicWrite('a test route: the request deadline for requests with a body')
  async slowWithBody(@Body() body: unknown): Promise<unknown> {
    slowHandlerState.started += 1;
    const signal = currentRequestContext()!.signal;
    const abortedAtStart = signal.aborted;
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    slowHandlerState.aborted += 1;
    return { abortedAtStart, body };
  }

  @Get('big')
  big(): unknown {
    return { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item number ${i}` })) };
  }

  @Get('events')
  @Header('content-type', 'text/event-stream')
  events(): string {
    return Array.from({ length: 200 }, (_, i) => `data: event ${i}\n\n`).join('');
  }

  @Get('cached')
  @Header('cache-control', 'public, max-age=60')
  cached(): unknown {
    return { cached: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail');
  }

  @Get('login')
  @RateLimitPolicy('login')
  login(): unknown {
    return { ok: true };
  }

  @Get('login-too')
  @RateLimitPolicy('login')
  loginToo(): unknown {
    return { ok: true };
  }

  @Get('route-limited')
  @Throttle({ default: { limit: 2, ttl: 60_000 } })
  routeLimited(): unknown {
    return { ok: true };
  }

  @Get('unlimited')
  @SkipThrottle()
  unlimited(): unknown {
    return { ok: true };
  }
}

@Module({ controllers: [PipelineTestController] })
export class PipelineTestModule {}

/** The environment the test controller needs: the named policy its routes use. */
export const PIPELINE_TEST_ENV = { RATE_LIMIT_POLICIES: 'login=3/60' };
