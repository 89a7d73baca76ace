import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';

/** The shared Redis the integration suites use (never stopped by a test). */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Polls `condition` every 50 ms, at most `attempts` times; throws `what` when it never holds. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A throw-away redis-server of this test's own, on a random loopback port,
 * without persistence, so a test can stop and restart it without touching the
 * machine's shared Redis.
 */
export class OwnRedisServer {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts one on a free random port in 20000-30000 (a few attempts). */
  static async start(): Promise<OwnRedisServer> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new OwnRedisServer(20000 + Math.floor(Math.random() * 10000));
      if (
        await server.restart().then(
          () => true,
          () => false,
        )
      )
        return server;
    }
    throw new Error('could not start a redis-server on a free port');
  }

  /** (Re)starts the server on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.process = child;
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await waitFor(`redis-server on port ${this.port}`, async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
        return probe.connect().then(
          async () => (await probe.ping()) === 'PONG',
          () => false,
        );
      });
    } finally {
      probe.disconnect();
    }
  }

  /** Freezes the process: connections stay open, commands get no answer (a hung Redis). */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Thaws a paused server. */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Stops the server (SIGTERM to the process this object started) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
