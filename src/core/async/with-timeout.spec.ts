import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { TimeoutError, withTimeout } from './with-timeout';

/** A TCP echo server on 127.0.0.1 in a worker thread: it answers while this thread's event loop is blocked. */
async function startEchoServer(): Promise<{ port: number; stop: () => Promise<number> }> {
  const worker = new Worker(
    `const { createServer } = require('node:net');
     const { parentPort } = require('node:worker_threads');
     const server = createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
    { eval: true },
  );
  const [port] = (await once(worker, 'message')) as [number];
  return { port, stop: () => worker.terminate() };
}

/** Blocks the event loop for `ms` milliseconds (a long synchronous task). */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

describe('withTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('settles with the work when it finishes first', async () => {
    await expect(withTimeout(Promise.resolve('value'), 1000)).resolves.toBe('value');
    await expect(withTimeout(Promise.reject(new Error('store failed')), 1000)).rejects.toThrow('store failed');
  });

  it('rejects with TimeoutError when the work never settles', async () => {
    jest.useFakeTimers();
    const bounded = withTimeout(new Promise<never>(() => undefined), 100);
    jest.advanceTimersByTime(100);
    jest.runOnlyPendingTimers(); // the verdict waits for the check phase (setImmediate), after pending I/O
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
    await expect(bounded).rejects.toThrow('timed out after 100 ms');
  });

  it("rejects with the caller's error when it names one", async () => {
    jest.useFakeTimers();
    const bounded = withTimeout(new Promise<never>(() => undefined), 100, () => new Error('Redis did not answer within 100 ms'));
    jest.advanceTimersByTime(100);
    jest.runOnlyPendingTimers(); // the verdict waits for the check phase (setImmediate), after pending I/O
    await expect(bounded).rejects.toThrow('Redis did not answer within 100 ms');
  });

  it('does not leave an unhandled rejection when the work fails after the timeout', async () => {
    let fail!: (error: Error) => void;
    const work = new Promise<never>((_resolve, reject) => (fail = reject));
    const bounded = withTimeout(work, 5);
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    fail(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('settles with a reply that arrived in time even when the event loop was too busy to read it before the bound', async () => {
    const echo = await startEchoServer();
    let socket: Socket | undefined;
    try {
      socket = connect(echo.port, '127.0.0.1');
      await once(socket, 'connect');
      const reply = once(socket, 'data').then(([chunk]) => String(chunk));
      socket.write('PING');
      const bounded = withTimeout(reply, 50);
      // The echo arrives within a few ms, while this thread is still busy; the 50 ms timer has expired when the loop turns.
      stall(300);
      await expect(bounded).resolves.toBe('PING');
    } finally {
      socket?.destroy();
      await echo.stop();
    }
  });
});
