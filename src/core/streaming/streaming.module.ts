import { Global, Module } from '@nestjs/common';
import { EventStreamInterceptor } from './event-stream.interceptor';
import { OpenEventStreams } from './open-event-streams';
import { SseMetrics } from './sse.metrics';
import { StreamTicketController } from './stream-ticket.controller';
import { StreamTickets } from './stream-tickets';

/** Server-Sent Events routes (docs/streaming.md): the open streams, their metrics, the interceptor `@EventStream()` applies, and stream tickets for browsers. */
@Global()
@Module({
  controllers: [StreamTicketController],
  providers: [OpenEventStreams, SseMetrics, EventStreamInterceptor, StreamTickets],
  exports: [OpenEventStreams, SseMetrics, EventStreamInterceptor, StreamTickets],
})
export class StreamingModule {}
