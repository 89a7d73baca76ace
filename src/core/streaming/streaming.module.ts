import { Global, Module } from '@nestjs/common';
import { EventStreamInterceptor } from './event-stream.interceptor';
import { OpenEventStreams } from './open-event-streams';
import { SseMetrics } from './sse.metrics';

/** Server-Sent Events routes (docs/streaming.md): the open streams, their metrics, and the interceptor `@EventStream()` applies. */
@Global()
@Module({
  providers: [OpenEventStreams, SseMetrics, EventStreamInterceptor],
  exports: [OpenEventStreams, SseMetrics, EventStreamInterceptor],
})
export class StreamingModule {}
