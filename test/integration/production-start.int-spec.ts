import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sign } from 'jsonwebtoken';
import { Client } from 'pg';
import { withTimeout } from '../../src/core/async/with-timeout';
import { freePort, http, startProdNodeArgs } from '../support/app-process';
import { generateSigningKey } from '../support/jwks-server';
import { OtlpReceiver } from '../support/otlp-receiver';

/**
 * The production start path exactly as the container image runs it
 * (docker/Dockerfile), without Docker:
 *
 *   1. `npm ci --omit=dev --omit=optional` (the image's prod-deps stage) into a
 *      clean directory holding only the package files and the built `dist/`
 *      (better-sqlite3 compiles from source: ~80 s);
 *   2. migrations from the compiled CLI (`node dist/src/migrate.js run`)
 *      against a PostgreSQL database of its own (`prodstart`);
 *   3. `npm run start:prod`'s command (`node --max-semi-space-size=8 --require
 *      ./dist/src/instrumentation.js dist/src/main.js`, the image's CMD) as a
 *      non-root user (nobody, via setpriv) with NODE_ENV=production, PostgreSQL,
 *      Redis, JWKS over https (a self-signed CA passed with NODE_EXTRA_CA_CERTS,
 *      as production requires https), metrics on their own port, traces exported;
 *   4. probes answer, a request with a JWKS-signed token succeeds, SIGTERM exits 0.
 *
 * What differs from the image: the Node version (the machine's, not the
 * image's Node 24), no tini (SIGTERM goes to node directly, as tini forwards
 * it), HOST=127.0.0.1 instead of 0.0.0.0, and the root filesystem is not
 * read-only (the image smoke test in the image workflow covers those).
 */
const run = promisify(execFile);
/** The flags of `npm ci` in docker/Dockerfile's prod-deps stage (checked by test/unit/deploy/deploy-drift.spec.ts). */
export const PROD_INSTALL_FLAGS = ['--omit=dev', '--omit=optional'];
const root = join(__dirname, '..', '..');
const NOBODY = { uid: 65534, gid: 65534 };
const DATABASE = 'prodstart';
const adminUrl = (() => {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  url.pathname = '/postgres';
  return url;
})();
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
})();
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = `prodstart-${process.pid}-${Date.now()}`;
const ISSUER = 'https://idp.prodstart.test';
const AUDIENCE = 'nest-chassis-prodstart';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs `node <args>` in the install directory as nobody; resolves with its exit code and output. */
function nodeAsNobody(cwd: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn('setpriv', [`--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', process.execPath, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** What a child wrote so far, filled in as it comes. */
interface Output {
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess, output: Output = { stdout: '', stderr: '' }): Promise<{ code: number | null } & Output> {
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, ...output })));
}

/** Where a live process is (its state, and each thread's name, state and kernel wait channel): for a failure message. */
function processState(pid: number): string {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`).map((tid) => {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const state = /^State:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1];
      const wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8');
      return `${comm} ${state} ${wchan}`;
    });
    return tasks.join('; ');
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}

describe('production start path (as the image runs it)', () => {
  let dir: string;
  let jwks: Server;
  let otlp: OtlpReceiver;
  let app: ChildProcess | undefined;
  let appOutput: Promise<{ code: number | null } & Output>;
  const appSoFar: Output = { stdout: '', stderr: '' };
  let port: number;
  let metricsPort: number;
  let env: Record<string, string>;
  const key = generateSigningKey('prodstart-key', 'RS256');
  const token = (claims: Record<string, unknown>) =>
    sign({ sub: 'prod-user', iss: ISSUER, aud: AUDIENCE, ...claims }, key.privateKey, {
      algorithm: 'RS256',
      keyid: key.kid,
      expiresIn: 300,
    });

  beforeAll(async () => {
    // 1. A clean directory with the package files and dist/ only, readable by nobody.
    dir = mkdtempSync(join(tmpdir(), 'nest-chassis-prodstart-'));
    chmodSync(dir, 0o755);
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(dir, file));
    cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
    await run('npm', ['ci', ...PROD_INSTALL_FLAGS, '--no-audit', '--no-fund'], {
      cwd: dir,
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: 'production' },
    });

    // JWKS over https with a self-signed certificate for 127.0.0.1.
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'jwks-key.pem'), '-out', join(dir, 'jwks-cert.pem'),
    ]); // prettier-ignore
    chmodSync(join(dir, 'jwks-cert.pem'), 0o644);
    jwks = createHttpsServer(
      { key: readFileSync(join(dir, 'jwks-key.pem')), cert: readFileSync(join(dir, 'jwks-cert.pem')) },
      (request, response) => {
        if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.jwk] }));
      },
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    otlp = await new OtlpReceiver().start();

    // 2. Its own database, then the production environment.
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DATABASE}`);
    [port, metricsPort] = [await freePort(), await freePort()];
    env = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      RATE_LIMIT_REDIS_KEY_PREFIX: `${runId}:rl:`,
      CACHE_KEY_PREFIX: `${runId}:cache:`,
      AUTH_JWKS_URI: `https://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      NODE_EXTRA_CA_CERTS: join(dir, 'jwks-cert.pem'),
      TRUST_PROXY: 'loopback',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Keep the test short; the production default (5 s) is checked by the chart drift test.
      SHUTDOWN_DELAY_SECONDS: '1',
    };
  }, 420_000);

  afterAll(async () => {
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
    await otlp?.stop();
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('installs production dependencies only (npm ci --omit=dev --omit=optional), with the native SQLite driver built', () => {
    const installed = (name: string) => existsSync(join(dir, 'node_modules', name, 'package.json'));
    expect(['@nestjs/core', 'fastify', 'typeorm', 'pg', 'better-sqlite3', '@opentelemetry/sdk-node'].every(installed)).toBe(true);
    expect(['jest', 'typescript', '@nestjs/cli', 'ts-node', 'eslint'].filter(installed)).toEqual([]);
    expect(existsSync(join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });

  it('runs the migrations from the compiled CLI as nobody', async () => {
    const migrate = await collect(nodeAsNobody(dir, ['dist/src/migrate.js', 'run'], env));
    expect({ code: migrate.code, stderr: migrate.stderr }).toEqual({ code: 0, stderr: '' });
    expect(migrate.stdout).toMatch(/^applied CreateItems\d+$/m);
    const show = await collect(nodeAsNobody(dir, ['dist/src/migrate.js', 'show'], env));
    expect(show).toMatchObject({ code: 0, stdout: 'all migrations applied\n' });
  }, 60_000);

  it('starts with the instrumentation entry as a non-root user; the probes answer', async () => {
    app = nodeAsNobody(dir, startProdNodeArgs(), env);
    appOutput = collect(app, appSoFar);
    let ready = await http(port, '/health/ready').catch(() => undefined);
    for (let attempt = 0; attempt < 120 && ready?.status !== 200 && app.exitCode === null; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ready = await http(port, '/health/ready').catch(() => undefined);
    }
    if (ready?.status !== 200)
      throw new Error(
        `never ready: ${JSON.stringify(ready)}\n${(await Promise.race([appOutput, Promise.resolve(undefined)]))?.stderr ?? ''}`,
      );

    const status = readFileSync(`/proc/${app.pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)![1]).toBe(String(NOBODY.uid));
    expect(/^Gid:\s+(\d+)/m.exec(status)![1]).toBe(String(NOBODY.gid));

    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, jwks: { status: 'up' } },
    });
    expect((await http(port, '/health/live')).status).toBe(200);
    expect((await http(port, '/health/startup')).status).toBe(200);
    // Production defaults: no OpenAPI UI.
    expect((await http(port, '/docs')).status).toBe(404);
  }, 60_000);

  it('serves a request authenticated by a JWKS-signed token; refuses an anonymous one', async () => {
    const authorization = `Bearer ${token({ scope: 'items:read items:write' })}`;
    const created = await http(port, '/items', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'PROD-1', name: 'Production start', priceCents: 4200, currency: 'EUR' }),
    });
    expect(created.status).toBe(201);
    const { id } = JSON.parse(created.body) as { id: string };
    const read = await http(port, `/items/${id}`, { headers: { authorization } });
    expect({ status: read.status, sku: (JSON.parse(read.body) as { sku: string }).sku }).toEqual({ status: 200, sku: 'PROD-1' });
    expect((await http(port, '/items')).status).toBe(401);
  });

  it('serves metrics on METRICS_PORT only', async () => {
    const metrics = await http(metricsPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_server_request_duration_seconds');
    expect((await http(port, '/metrics')).status).not.toBe(200);
  });

  it('exits 0 on SIGTERM after a graceful shutdown, with its spans exported', async () => {
    app!.kill('SIGTERM');
    // The shutdown ends by SHUTDOWN_TIMEOUT_SECONDS (20 s) + the 1 s delay at the latest; past that, say where the process is.
    const { code, stdout } = await withTimeout(
      appOutput,
      35_000,
      () =>
        new Error(
          `no exit 35 s after SIGTERM; threads: ${processState(app!.pid!)}\nlast lines:\n${appSoFar.stdout.split('\n').slice(-20).join('\n')}\nstderr:\n${appSoFar.stderr}`,
        ),
    );
    expect(code).toBe(0);
    const messages = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages).toContain('Shutdown complete');
    expect(otlp.spans.length).toBeGreaterThan(0);
  }, 40_000);
});
