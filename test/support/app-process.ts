import { loadConfig } from '../../src/core/settings/load-config';
import { tokenSigner, type TestClaims } from './tokens';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request as httpRequest, type Agent } from 'node:http';
import { join } from 'node:path';
import { BUILT_INSTRUMENTATION, BUILT_MAIN } from './nest-build';

/**
 * The Node arguments of `npm run start:prod` (V8 flags, the instrumentation
 * entry, `dist/src/main.js`), relative to the project root. The image's CMD
 * repeats them (test/unit/deploy/deploy-drift.spec.ts checks that), so what
 * runs these arguments runs what ships.
 */
export function startProdNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts['start:prod'].split(' ').slice(1);
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1; rejects with the socket error (ECONNREFUSED...). */
export function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent | false } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The built app running as a child process, its stdout parsed as JSON log lines. */
export class AppProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly waiters: { test: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  stderr = '';

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    instrumented: boolean,
    entry: string = BUILT_MAIN,
  ) {
    const args = [...(instrumented ? ['--require', BUILT_INSTRUMENTATION] : []), entry];
    this.child = spawn(process.execPath, args, {
      cwd: join(__dirname, '..', '..'),
      // Only what the test chooses: never the developer's shell or .env.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) this.accept(JSON.parse(part) as Record<string, unknown>);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /**
   * `{ authorization: 'Bearer …' }` with a token this process accepts: signed
   * with the secret, issuer and audience of its own configuration.
   */
  authHeader(claims: TestClaims = {}): { authorization: string } {
    return tokenSigner(loadConfig({ NODE_ENV: 'test', ...this.env })).authHeader(claims);
  }

  /**
   * Spawns `node [--require instrumentation] dist/src/main.js` (or `entry`, a script over the build) and waits until readiness answers 200.
   */
  static async start(env: Record<string, string>, options: { instrumented?: boolean; entry?: string } = {}): Promise<AppProcess> {
    const app = new AppProcess(await freePort(), env, options.instrumented ?? false, options.entry);
    try {
      await app.waitForLine((line) => String(line.msg).startsWith('Server listening'), 30_000);
      for (let attempt = 0; attempt < 100; attempt++) {
        const ready = await http(app.port, '/health/ready').catch(() => undefined);
        if (ready?.status === 200) return app;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the app never became ready:\n${app.stderr}`);
    } catch (error) {
      // A process that never got ready would outlive the test and keep Jest from exiting.
      await app.kill();
      throw error;
    }
  }

  /** Spawns the built app on `port` without waiting for it: for startups that are meant to fail. */
  static launch(port: number, env: Record<string, string>): AppProcess {
    return new AppProcess(port, env, false);
  }

  get pid(): number {
    return this.child.pid!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the first log line (past or future) matching `test`; rejects after `timeoutMs`. */
  waitForLine(test: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ test, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }

  withMessage(message: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.msg === message);
  }

  /** Ends the process for good (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private accept(line: Record<string, unknown>): void {
    this.lines.push(line);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}
