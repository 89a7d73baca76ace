import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';

/**
 * Text-like types: @fastify/compress's own default rule without
 * `octet-stream` (usually already-compressed binary), and with the event
 * stream exclusion stated here rather than inherited.
 */
const COMPRESSIBLE = /^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)text(?:;|$)|(?:\+|\/)xml(?:;|$)|^application\/javascript/i;

/** Whether a response of this Content-Type is compressed. Never `text/event-stream`: compression buffers, SSE must flush each event. */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

/**
 * Response compression with @fastify/compress (br, gzip, deflate
 * per Accept-Encoding) above COMPRESSION_THRESHOLD_BYTES, for compressible
 * types only. Streams are compressed as streams, never buffered.
 *
 * Registered before the routes (its `onRoute` hook attaches to each route).
 * Request-body decompression is off: a compressed upload would bypass the
 * intent of the body limit's cheap Content-Length check.
 */
export async function registerCompression(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const { compression } = config.http;
  if (!compression.enabled) return;
  await app.register(fastifyCompress, {
    global: true,
    threshold: compression.thresholdBytes,
    customTypes: isCompressible,
    globalDecompression: false,
  });
}
