import { join } from 'node:path';
import { SHUTDOWN_MESSAGES } from '../../src/core/lifecycle/graceful-shutdown';
import { AppProcess, http } from '../support/app-process';
import { openStream } from '../support/streaming-client';

jest.setTimeout(60_000);

const STREAMING_APP = join(__dirname, '..', 'support', 'streaming-process-app.js');

describe('graceful shutdown with open event streams (real process)', () => {
  let app: AppProcess | undefined;
  afterEach(async () => app?.kill());

  it('turns readiness 503 first, then ends every stream with a reconnect event (retry:), and exits 0 within the timeout', async () => {
    app = await AppProcess.start(
      {
        DATABASE_URL: 'sqlite::memory:',
        SHUTDOWN_DELAY_SECONDS: '1',
        SHUTDOWN_TIMEOUT_SECONDS: '4',
        SSE_RETRY_SECONDS: '1.5',
        SSE_HEARTBEAT_SECONDS: '0.2',
      },
      { entry: STREAMING_APP },
    );
    const { port } = app;
    const streams = await Promise.all(
      ['one', 'two', 'three'].map((sub) => openStream(port, '/test/streaming/idle', app!.authHeader({ sub }))),
    );
    await Promise.all(streams.map((stream) => stream.until((e) => e.event === 'hello')));

    const signalledAt = Date.now();
    app.signal('SIGTERM');
    await app.waitForLine((line) => line.msg === SHUTDOWN_MESSAGES.started);
    // During the shutdown delay: not ready, and the streams are still open (heartbeats go on).
    expect((await http(port, '/health/ready')).status).toBe(503);
    expect(streams.every((stream) => !stream.received.some((e) => e.event === 'reconnect'))).toBe(true);

    await Promise.all(streams.map((stream) => stream.ended));
    for (const stream of streams) {
      expect(stream.received.at(-1)).toEqual({ event: 'reconnect', data: '{"reason":"shutdown"}', retry: 1500 });
    }
    expect(await app.exited).toBe(0);
    // Within SHUTDOWN_TIMEOUT_SECONDS: the streams' connections do not hold the server's close.
    expect(Date.now() - signalledAt).toBeLessThan(4000);
    expect(app.withMessage(SHUTDOWN_MESSAGES.complete)).toHaveLength(1);
    const streamLines = app.lines.filter((line) => line.route === '/test/streaming/idle' && line.msg === 'request completed');
    expect(streamLines.map((line) => line.streamEnd)).toEqual(['shutdown', 'shutdown', 'shutdown']);
  });
});
