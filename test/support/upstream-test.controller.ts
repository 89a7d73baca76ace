import { Body, Controller, Get, Headers, Post, Query } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { EventStream, InjectUpstream, Public, RequestSignal, type ServerSentEvent, type UpstreamClient } from '../../src/core';

/** Test routes that call the upstream named `fake` (UPSTREAM_FAKE_URL) through the chassis's client. */
@Public()
@Controller('upstream-test')
export class UpstreamTestController {
  constructor(@InjectUpstream('fake') private readonly fake: UpstreamClient) {}

  /** GET `path` at the upstream; answers what the upstream answered. */
  @Get('get')
  async get(@Query('path') path: string) {
    const response = await this.fake.get(path ?? '/');
    return { status: response.status, body: response.body };
  }

  /** POST to the upstream's `/orders`, with the caller's `Idempotency-Key` if any. */
  @Post('post')
  async post(@Body() body: Record<string, unknown>, @Headers('idempotency-key') key?: string) {
    const response = await this.fake.post('/orders', body, { headers: key ? { 'Idempotency-Key': key } : {} });
    return { status: response.status, body: response.body };
  }

  /** GET `/traced` at the upstream, answering the trace id of the active span around the call. */
  @Get('traced')
  async traced() {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    await this.fake.get('/traced');
    return { traceId };
  }

  /** Reads the upstream's event stream `/events`, slowly, and answers how many events arrived and their data. */
  @Get('events')
  async events(@Query('take') take = '3') {
    const events = await this.fake.stream('/events');
    const received: unknown[] = [];
    for await (const event of events) {
      received.push(event);
      if (received.length >= Number(take)) break;
    }
    return { events: received };
  }

  /** Relays the upstream's `/tokens` event stream to the client as it comes (the docs' "LLM tokens to the browser" example). */
  @Get('relay')
  @EventStream()
  async relay(@RequestSignal() signal: AbortSignal): Promise<AsyncIterable<ServerSentEvent>> {
    return this.fake.stream('/tokens', { signal });
  }
}
