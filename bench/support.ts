/**
 * Process, HTTP and load-generator helpers for the benchmark (bench/run.ts).
 * Everything runs on 127.0.0.1; every wait is bounded.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

export const ROOT = join(__dirname, '..');
const CLOCK_TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');

/** Cores for the server and the load generator: different ones when taskset exists and there are two or more. */
export interface Pinning {
  server: string[];
  load: string[];
  description: string;
}

export function pinning(): Pinning {
  const cores = cpus().length;
  let hasTaskset: boolean;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    hasTaskset = true;
  } catch {
    hasTaskset = false;
  }
  if (!hasTaskset || cores < 2) {
    return { server: [], load: [], description: `not pinned (${hasTaskset ? `${cores} core` : 'no taskset'})` };
  }
  return {
    server: ['taskset', '-c', '0'],
    load: ['taskset', '-c', '1'],
    description: `server on core 0, load generator on core 1 (taskset; ${cores} cores)`,
  };
}

export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** A free TCP port on 127.0.0.1 (the same helper the process tests use). */
export { freePort, startProdNodeArgs } from '../test/support/app-process';

/** Whether something accepts TCP connections on 127.0.0.1:port (within 500 ms). */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

export interface HttpResult {
  status: number;
  body: string;
}

export function http(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<HttpResult>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A server under test: a child process, its stdout and stderr appended to `logFile`. */
export class Server {
  readonly startedAt = process.hrtime.bigint();
  private readonly exited: Promise<void>;
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Spawns `node <args>` pinned as `prefix` says, with exactly `env` (plus PATH). */
  static spawn(prefix: string[], nodeArgs: string[], env: Record<string, string>, port: number, logFile: string): Server {
    const log = openSync(logFile, 'a');
    const command = [...prefix, process.execPath, ...nodeArgs];
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    return new Server(child, port);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Polls `path` every 5 ms until it answers 200; resolves with ms since spawn. Rejects after `timeoutMs` or on exit. */
  async waitFor200(path: string, timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited with ${this.child.exitCode} before ${path} answered 200`);
      const result = await http(this.port, path).catch(() => undefined);
      if (result?.status === 200) return Number(process.hrtime.bigint() - this.startedAt) / 1e6;
      await sleep(5);
    }
    throw new Error(`${path} did not answer 200 within ${timeoutMs} ms`);
  }

  /** Resident set size now, in MB (Linux /proc). */
  rssMb(): number | undefined {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return match ? Math.round(Number(match[1]) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * CPU time the server process has used so far, in µs (user + system, from
   * /proc/<pid>/stat). Divided by the requests served, it gives a cost per
   * request that other processes on the machine disturb far less than req/s.
   */
  cpuMicroseconds(): number | undefined {
    try {
      // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** One autocannon run (its own process, pinned), parsed from `--json`. */
export function autocannon(
  prefix: string[],
  url: string,
  options: { connections: number; durationSeconds: number; headers: Record<string, string>; method?: string; body?: string },
): Promise<LoadResult> {
  const args = options.method ? freshKeyArgs(url, options) : cliArgs(url, options);
  const command = [...prefix, process.execPath, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.durationSeconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      let json: AutocannonJson;
      try {
        json = JSON.parse(out) as AutocannonJson;
      } catch {
        // Thrown here it would escape the promise and end the bench without stopping its servers.
        return reject(new Error(`autocannon printed no result: ${err || out.slice(0, 200)}`));
      }
      resolve({
        requestsPerSecond: Math.round(json.requests.average),
        latencyP50Ms: json.latency.p50,
        latencyP99Ms: json.latency.p99,
        requests: json.requests.total,
        errors: json.errors,
        timeouts: json.timeouts,
        non2xx: json.non2xx,
      });
    });
  });
}

function cliArgs(url: string, options: { connections: number; durationSeconds: number; headers: Record<string, string> }): string[] {
  const args = [AUTOCANNON, '--json', '-c', String(options.connections), '-d', String(options.durationSeconds)];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}=${value}`);
  return [...args, url];
}

/** A request with a method and body, each with a fresh Idempotency-Key (bench/autocannon-fresh-keys.js). */
function freshKeyArgs(
  url: string,
  options: { connections: number; durationSeconds: number; headers: Record<string, string>; method?: string; body?: string },
): string[] {
  const script = join(ROOT, 'bench', 'autocannon-fresh-keys.js');
  const { connections, durationSeconds, headers, method, body } = options;
  return [script, url, String(connections), String(durationSeconds), method ?? 'GET', JSON.stringify(headers), ...(body ? [body] : [])];
}

/**
 * Runs the measurement script `script` (a file of bench/servers/) in a process
 * of its own, after `prefix` (a core pinning, or nothing), and resolves with
 * the first message it sends over IPC; rejects with its stderr when it exits
 * with another code than 0.
 */
export function measuredInProcess<T>(prefix: string[], script: string, env: Record<string, string>, label: string): Promise<T> {
  const command = [...prefix, process.execPath, join(ROOT, 'bench', 'servers', script)];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${label} run exited with ${code}: ${stderr}`))));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deletes every key matching `pattern` (SCAN + UNLINK, a thousand at a time): what a bench run wrote to the shared Redis. */
export async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
