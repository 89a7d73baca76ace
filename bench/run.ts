/**
 * The benchmark: `npm run bench` (builds first). Measures, one after the other
 * on 127.0.0.1, bare Fastify (the reference of the targets), NestJS on Fastify
 * with nothing else (what Nest itself costs) and the chassis's production
 * build, and checks the targets of docs/performance.md. Not a test: nothing
 * here runs in `npm test`. JWKS mode is also compared with shared-secret mode
 * side by side: both loaded at once on the same core, in fresh pairs of
 * processes (see measureSideBySide).
 *
 *   npm run bench                      # scenarios (a), (b), (c) and cold start
 *   npm run bench -- --layers          # (a) with one layer turned off at a time (bench-only configuration)
 *   npm run bench -- --duration 5 --repeats 3 --warmup 2 --connections 50 --side-by-side-pairs 3 --side-by-side-runs 3
 *
 * Writes bench/results/latest.json (or latest-layers.json) and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { AUDIENCE, ISSUER, JwksEndpoint, bearer, randomSecret, secretKey } from './identity';
import {
  ROOT,
  Server,
  answers,
  autocannon,
  freePort,
  http,
  loadAverage,
  median,
  pinning,
  sleep,
  startProdNodeArgs,
  type LoadResult,
  type Pinning,
} from './support';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    repeats: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'cold-starts': { type: 'string', default: '5' },
    'side-by-side-pairs': { type: 'string', default: '3' },
    'side-by-side-runs': { type: 'string', default: '3' },
    layers: { type: 'boolean', default: false },
    idempotency: { type: 'boolean', default: false },
  },
});
const settings = {
  durationSeconds: Number(args.duration),
  repeats: Number(args.repeats),
  warmupSeconds: Number(args.warmup),
  connections: Number(args.connections),
  coldStarts: Number(args['cold-starts']),
  /** JWKS against shared secret side by side: pairs of fresh servers, and runs per pair. */
  sideBySidePairs: Number(args['side-by-side-pairs']),
  sideBySideRuns: Number(args['side-by-side-runs']),
};

/**
 * The chassis runs with the Node arguments of `npm run start:prod` (= the
 * image's CMD): V8 flags and the instrumentation entry, then dist/src/main.js,
 * for which the bench server is substituted in scenario (a).
 */
const MAIN = startProdNodeArgs();
const CHASSIS_BENCH = [...MAIN.slice(0, -1), 'bench/servers/chassis-bench.js'];
const BARE = ['bench/servers/bare-fastify.js'];
const PLAIN_NEST = ['bench/servers/nest-plain.js'];
const PING = '/bench/ping';
const READY = '/health/ready';

/** Production settings: every concern on, limits high enough never to refuse the load. */
function productionEnv(workDir: string, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    AUTH_JWT_ISSUER: ISSUER,
    AUTH_JWT_AUDIENCE: AUDIENCE,
    METRICS_ENABLED: 'true',
    SECURITY_HSTS_ENABLED: 'true',
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_LIMIT: '1000000', // the maximum; per 10 s window = 100,000 requests/s
    RATE_LIMIT_WINDOW_SECONDS: '10',
    RATE_LIMIT_PRE_AUTH_LIMIT: '10000000',
    RATE_LIMIT_PRE_AUTH_WINDOW_SECONDS: '10',
    OTEL_SDK_DISABLED: 'true',
    SHUTDOWN_DELAY_SECONDS: '0', // the load balancer drain delay: nothing to drain here
    DATABASE_URL: `sqlite:${join(workDir, 'app.sqlite')}`,
    DATABASE_MIGRATIONS_RUN: 'true',
    ...extra,
  };
}

interface Measurement {
  name: string;
  path: string;
  runs: (MeasuredLoad & { loadAverageBefore: number[] })[];
  requestsPerSecond: number;
  /** Server CPU time per request (median of the runs), µs. */
  serverCpuMicrosecondsPerRequest?: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
  rssAfterLoadMb?: number;
  /** Median over the rounds of this subject's req/s divided by bare Fastify's in the same round. */
  ratioToBareFastify?: number;
  /**
   * Median over the rounds of bare Fastify's server CPU µs per request divided by this
   * subject's in the same round: 1 costs what bare Fastify costs, 0.4 costs 2.5 times as much.
   */
  cpuEfficiencyToBareFastify?: number;
  notes?: string;
}

/** One load's figures and the server CPU time it cost per request, µs (undefined where /proc is not readable). */
type MeasuredLoad = LoadResult & { serverCpuMicrosecondsPerRequest?: number };

/** One run of two servers loaded at the same time (see {@link Bench.measureSideBySide}). */
interface SideBySideRun {
  /** b's req/s divided by a's, in this run. */
  ratio: number;
  a: MeasuredLoad;
  b: MeasuredLoad;
}

/** A server under load: what is requested from it, with which headers. */
interface Subject {
  name: string;
  server: Server;
  path: string;
  headers: Record<string, string>;
  /** Default GET; with a method, every request carries a fresh Idempotency-Key (and `body`). */
  method?: string;
  body?: string;
}

/** The medians of a subject's runs; errors and non-2xx summed over the runs. */
function summarize(subject: Subject, runs: Measurement['runs'], rssAfterLoadMb: number | undefined): Measurement {
  process.stdout.write(`  ${subject.name}: RSS after load ${rssAfterLoadMb} MB\n`);
  return {
    name: subject.name,
    path: subject.path,
    runs,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    serverCpuMicrosecondsPerRequest: median(runs.map((r) => r.serverCpuMicrosecondsPerRequest ?? NaN)),
    latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    rssAfterLoadMb,
  };
}

/**
 * The ratio of two subjects measured in the same rounds: the median over the
 * rounds of a's req/s divided by b's req/s in that round. Each round's pair was
 * measured seconds apart, so a slow spell of the machine cancels out; the ratio
 * of the two medians would mix runs from different moments.
 */
function pairedRatio(a: Measurement, b: Measurement): number {
  return round(median(perRoundRatios(a, b)), 3);
}

/** a's req/s divided by b's req/s, round by round (the same rounds: see {@link Bench.measureInRounds}). */
function perRoundRatios(a: Measurement, b: Measurement): number[] {
  return a.runs.map((run, i) => run.requestsPerSecond / b.runs[i].requestsPerSecond);
}

/**
 * b's server CPU per request divided by a's, round by round: how many times
 * cheaper than a the reference b is. The headline figure: a req/s ratio
 * flatters a costly server whenever the load generator, not the server, limits
 * the cheap one.
 */
function perRoundCpuEfficiency(a: Measurement, b: Measurement): number[] {
  return a.runs.map((run, i) => (b.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) / (run.serverCpuMicrosecondsPerRequest ?? NaN));
}

class Bench {
  readonly pin: Pinning = pinning();
  readonly workDir = mkdtempSync(join(tmpdir(), 'nest-chassis-bench-'));
  readonly logFile = join(this.workDir, 'server.log');

  /** Measures one server: {@link measureInRounds} with one subject. */
  async measure(name: string, server: Server, path: string, headers: Record<string, string>): Promise<Measurement> {
    const [measurement] = await this.measureInRounds([{ name, server, path, headers }]);
    return measurement;
  }

  /**
   * Measures servers that are all up at once, in rounds: a warm-up of each,
   * then `repeats` rounds in which each subject is loaded once, in turn (each
   * round starting one subject later). A slow
   * spell of a shared machine then falls on every subject alike, so the ratios
   * between them (× bare Fastify, JWKS against shared secret) compare runs made
   * seconds apart, not minutes. Only the subject under load is busy; the others
   * sit idle on the same core.
   */
  async measureInRounds(subjects: Subject[]): Promise<Measurement[]> {
    for (const subject of subjects) {
      process.stdout.write(`  warm-up ${settings.warmupSeconds} s: ${subject.name}\n`);
      await this.load(subject, settings.warmupSeconds);
    }
    const runs: Measurement['runs'][] = subjects.map(() => []);
    for (let roundNumber = 1; roundNumber <= settings.repeats; roundNumber++) {
      // Each round starts one subject later (round-robin), so no subject always runs first or last.
      for (let turn = 0; turn < subjects.length; turn++) {
        const index = (turn + roundNumber - 1) % subjects.length;
        const subject = subjects[index];
        const loadAverageBefore = loadAverage();
        const result = await this.measuredLoad(subject, settings.durationSeconds);
        runs[index].push({ ...result, loadAverageBefore });
        process.stdout.write(
          `  round ${roundNumber}/${settings.repeats} ${subject.name}: ${result.requestsPerSecond} req/s, ${result.serverCpuMicrosecondsPerRequest} µs CPU/req (load ${loadAverageBefore[0]})\n`,
        );
      }
    }
    return subjects.map((subject, index) => summarize(subject, runs[index], subject.server.rssMb()));
  }

  /**
   * Loads two servers at the same time: one autocannon each (both on the load
   * generator's core, `connections` connections each), the two servers sharing
   * the server core. The kernel's scheduler gives each the same share of that
   * core, so each one's req/s is set by its own cost per request, and a slow
   * spell of the host falls on both in the same milliseconds. Measured in
   * turns, 8 s apart, the same two servers' per-round ratios spread from 0.6
   * to 1.6 on these machines (docs/performance.md).
   *
   * Only fair between two builds of the same program: two processes sharing a
   * core also share its caches, which costs a large program more than a small
   * one, so bare Fastify is never compared this way. The absolute figures are
   * lower than in turns (the core is shared); only the ratio is used.
   *
   * A warm-up of both at once, then `runs` runs; which load generator starts
   * first alternates. Returns, per run, b's req/s divided by a's, and both
   * sides' figures.
   */
  async measureSideBySide(a: Subject, b: Subject, runs: number, label: string): Promise<SideBySideRun[]> {
    await Promise.all([this.load(a, settings.warmupSeconds), this.load(b, settings.warmupSeconds)]);
    const results: SideBySideRun[] = [];
    for (let run = 1; run <= runs; run++) {
      const [resultA, resultB] =
        run % 2 === 1
          ? await Promise.all([this.measuredLoad(a, settings.durationSeconds), this.measuredLoad(b, settings.durationSeconds)])
          : (await Promise.all([this.measuredLoad(b, settings.durationSeconds), this.measuredLoad(a, settings.durationSeconds)])).reverse();
      const entry: SideBySideRun = { ratio: round(resultB.requestsPerSecond / resultA.requestsPerSecond, 3), a: resultA, b: resultB };
      results.push(entry);
      process.stdout.write(
        `  ${label}, run ${run}/${runs}: ${a.name} ${resultA.requestsPerSecond} req/s (${resultA.serverCpuMicrosecondsPerRequest} µs CPU/req), ` +
          `${b.name} ${resultB.requestsPerSecond} req/s (${resultB.serverCpuMicrosecondsPerRequest} µs CPU/req) → ${entry.ratio}\n`,
      );
    }
    return results;
  }

  /** One load of `subject`, with the server CPU time it cost per request (read from /proc before and after). */
  private async measuredLoad(subject: Subject, durationSeconds: number): Promise<MeasuredLoad> {
    const cpuBefore = subject.server.cpuMicroseconds();
    const result = await this.load(subject, durationSeconds);
    const cpuAfter = subject.server.cpuMicroseconds();
    const serverCpuMicrosecondsPerRequest =
      cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0
        ? round((cpuAfter - cpuBefore) / result.requests, 1)
        : undefined;
    return { ...result, serverCpuMicrosecondsPerRequest };
  }

  private load(subject: Subject, durationSeconds: number): Promise<LoadResult> {
    const url = `http://127.0.0.1:${subject.server.port}${subject.path}`;
    const { headers, method, body } = subject;
    return autocannon(this.pin.load, url, { connections: settings.connections, durationSeconds, headers, method, body });
  }

  async start(nodeArgs: string[], env: Record<string, string>, readyPath: string): Promise<Server> {
    const server = Server.spawn(this.pin.server, nodeArgs, env, await freePort(), this.logFile);
    try {
      await server.waitFor200(readyPath);
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}; see ${this.logFile}`, { cause: error });
    }
    return server;
  }

  /** Runs `fn` with all these servers started (one after the other), always stopping them. */
  async withAll<T>(
    specs: { nodeArgs: string[]; env: Record<string, string>; readyPath: string }[],
    fn: (servers: Server[]) => Promise<T>,
  ): Promise<T> {
    const servers: Server[] = [];
    try {
      for (const spec of specs) servers.push(await this.start(spec.nodeArgs, spec.env, spec.readyPath));
      return await fn(servers);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  /** Runs `fn` with a started server, always stopping it. */
  with<T>(nodeArgs: string[], env: Record<string, string>, readyPath: string, fn: (server: Server) => Promise<T>): Promise<T> {
    return this.withAll([{ nodeArgs, env, readyPath }], ([server]) => fn(server));
  }
}

/** Creates one item and returns its path, as the benchmarked user. */
async function seedItem(server: Server, authorization: string): Promise<string> {
  const body = JSON.stringify({ sku: `bench-${Date.now()}`, name: 'Bench item', priceCents: 1234, currency: 'EUR' });
  const created = await http(server.port, '/items', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body,
  });
  if (created.status !== 201) throw new Error(`seeding an item failed: ${created.status} ${created.body}`);
  return `/items/${(JSON.parse(created.body) as { id: string }).id}`;
}

/** PostgreSQL and Redis from the environment, or on loopback when they answer there; `bench` database created if missing. */
async function postgresAndRedis(): Promise<{ databaseUrl: string; redisUrl: string } | string> {
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  if (!databaseUrl) {
    if (!(await answers(5432))) return 'PostgreSQL does not answer on 127.0.0.1:5432 and DATABASE_URL is unset';
    const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'bench'");
      // A database of its own: never touches the `test` database other runs use.
      if (exists.rowCount === 0) await admin.query('CREATE DATABASE bench');
    } finally {
      await admin.end();
    }
    databaseUrl = 'postgres://postgres@127.0.0.1:5432/bench';
  }
  if (!redisUrl) {
    if (!(await answers(6379))) return 'Redis does not answer on 127.0.0.1:6379 and REDIS_URL is unset';
    redisUrl = 'redis://127.0.0.1:6379';
  }
  return { databaseUrl, redisUrl };
}

interface ColdStarts {
  runsMs: number[];
  medianMs: number;
}

/**
 * Cold starts of several configurations in turns: each round starts every
 * configuration once, in an order that rotates, so a slow spell of the host
 * falls on all of them rather than on whichever was measured then.
 */
async function coldStarts(bench: Bench, variants: { label: string; env: Record<string, string> }[]): Promise<ColdStarts[]> {
  const runsMs = variants.map((): number[] => []);
  for (let round = 0; round < settings.coldStarts; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const server = Server.spawn(bench.pin.server, MAIN, variants[index].env, await freePort(), bench.logFile);
      try {
        runsMs[index].push(Math.round(await server.waitFor200(READY)));
      } finally {
        await server.stop();
      }
    }
  }
  return variants.map(({ label }, index) => {
    console.log(`  cold start, ${label}: ${runsMs[index].join(', ')} ms → median ${median(runsMs[index])} ms`);
    return { runsMs: runsMs[index], medianMs: median(runsMs[index]) };
  });
}

/**
 * Node's module compile cache (NODE_COMPILE_CACHE, Node >= 22.1) filled as the
 * container image fills it (docker/fill-compile-cache.js: one production start
 * and stop, tracing on); its directory, or undefined on a Node without the
 * cache (Node 20; the image runs Node 24).
 */
function fillCompileCache(bench: Bench): string | undefined {
  if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
    console.log(`  cold start with the compile cache: not measured (Node ${process.version} has none)`);
    return undefined;
  }
  const cacheDir = join(bench.workDir, 'compile-cache');
  execFileSync(process.execPath, ['docker/fill-compile-cache.js', ...MAIN], {
    cwd: ROOT,
    env: { ...process.env, NODE_COMPILE_CACHE: cacheDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return cacheDir;
}

async function scenarios(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const secretAuth = bearer(secretKey(secret), 'HS256', 'items:read items:write');
  const secretEnv = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });

  console.log(
    'Bare Fastify, NestJS on Fastify and (a) authenticated GET with no I/O, shared secret (HS256) and JWKS (RS256, local HTTPS JWKS endpoint), in rounds',
  );
  const jwks = new JwksEndpoint(bench.workDir);
  const jwksUri = await jwks.start();
  const jwksEnv = productionEnv(bench.workDir, {
    AUTH_JWKS_URI: jwksUri,
    NODE_EXTRA_CA_CERTS: jwks.caFile,
    DATABASE_URL: `sqlite:${join(bench.workDir, 'app-jwks.sqlite')}`,
  });
  const jwksAuth = bearer(jwks.privateKey, 'RS256', 'items:read', jwks.kid);
  let measured: Measurement[];
  const sideBySide: SideBySideRun[][] = [];
  try {
    measured = await bench.withAll(
      [
        { nodeArgs: BARE, env: {}, readyPath: PING },
        { nodeArgs: PLAIN_NEST, env: {}, readyPath: PING },
        { nodeArgs: CHASSIS_BENCH, env: secretEnv, readyPath: READY },
        { nodeArgs: CHASSIS_BENCH, env: jwksEnv, readyPath: READY },
      ],
      ([bareServer, nestServer, secretServer, jwksServer]) =>
        bench.measureInRounds([
          { name: 'bare Fastify', server: bareServer, path: PING, headers: {} },
          { name: 'NestJS on Fastify, no chassis', server: nestServer, path: PING, headers: {} },
          { name: '(a) chassis, shared secret', server: secretServer, path: PING, headers: { authorization: secretAuth } },
          { name: '(a) chassis, JWKS', server: jwksServer, path: PING, headers: { authorization: jwksAuth } },
        ]),
    );
    console.log(
      `(a) JWKS against shared secret, side by side (both loaded at once, sharing the server core): ${settings.sideBySidePairs} pairs of fresh processes`,
    );
    // Fresh processes per pair: one process's JIT can settle a few per cent faster or slower than
    // another's running the same code (seen in A/A pairs of two shared-secret servers), which a
    // single pair would carry into the ratio.
    for (let pair = 1; pair <= settings.sideBySidePairs; pair++) {
      const env = (base: Record<string, string>, name: string) => ({
        ...base,
        DATABASE_URL: `sqlite:${join(bench.workDir, `side-by-side-${pair}-${name}.sqlite`)}`,
      });
      const specs = [
        { nodeArgs: CHASSIS_BENCH, env: env(secretEnv, 'secret'), readyPath: READY },
        { nodeArgs: CHASSIS_BENCH, env: env(jwksEnv, 'jwks'), readyPath: READY },
      ];
      sideBySide.push(
        await bench.withAll(specs, ([secretServer, jwksServer]) =>
          bench.measureSideBySide(
            { name: 'shared secret', server: secretServer, path: PING, headers: { authorization: secretAuth } },
            { name: 'JWKS', server: jwksServer, path: PING, headers: { authorization: jwksAuth } },
            settings.sideBySideRuns,
            `pair ${pair}/${settings.sideBySidePairs}`,
          ),
        ),
      );
    }
  } finally {
    await jwks.stop();
  }
  const [bare, plainNest, aSecret, aJwks] = measured;
  for (const m of [plainNest, aSecret, aJwks]) {
    m.ratioToBareFastify = pairedRatio(m, bare);
    m.cpuEfficiencyToBareFastify = round(median(perRoundCpuEfficiency(m, bare)), 3);
  }
  const jwksToSecretInTurns = pairedRatio(aJwks, aSecret);
  const jwksToSecret = round(median(sideBySide.flat().map((run) => run.ratio)), 3);
  // A refused request is answered faster than a served one: errors side by side count against the target too.
  const sideBySideFailures = sideBySide.flat().reduce((sum, run) => sum + failures(run.a) + failures(run.b), 0);
  aJwks.notes = `JWKS endpoint requests during the whole run: ${jwks.requests} (one per JWKS-mode server started)`;

  console.log('(b) GET /items/:id — SQLite');
  const bSqlite = await bench.with(MAIN, secretEnv, READY, async (server) =>
    bench.measure('(b) GET /items/:id, SQLite', server, await seedItem(server, secretAuth), { authorization: secretAuth }),
  );

  console.log('(c) GET /items/:id — PostgreSQL + Redis cache');
  const services = await postgresAndRedis();
  let cPostgres: Measurement | { skipped: string };
  if (typeof services === 'string') {
    console.log(`  skipped: ${services}`);
    cPostgres = { skipped: services };
  } else {
    const prefix = `bench-${process.pid}-${Date.now()}:`;
    const pgEnv = productionEnv(bench.workDir, {
      AUTH_JWT_SECRET: secret,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      CACHE_KEY_PREFIX: `${prefix}cache:`,
      RATE_LIMIT_REDIS_KEY_PREFIX: `${prefix}rate-limit:`,
    });
    cPostgres = await bench.with(MAIN, pgEnv, READY, async (server) =>
      bench.measure('(c) GET /items/:id, PostgreSQL + Redis', server, await seedItem(server, secretAuth), { authorization: secretAuth }),
    );
  }

  console.log(`Cold start (process start → first 200 from ${READY}; SQLite, migrated; production)`);
  const coldEnv = { ...secretEnv, DATABASE_MIGRATIONS_RUN: 'false' };
  const closedPort = String(await freePort()); // nothing listens: spans are dropped, as with an unreachable collector
  const tracedEnv = { ...coldEnv, OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}` };
  const cacheDir = fillCompileCache(bench);
  const variants = [
    { label: 'tracing off', env: coldEnv },
    { label: 'tracing on', env: tracedEnv },
    ...(cacheDir
      ? [
          { label: 'tracing off, compile cache (as in the image)', env: { ...coldEnv, NODE_COMPILE_CACHE: cacheDir } },
          { label: 'tracing on, compile cache (as in the image)', env: { ...tracedEnv, NODE_COMPILE_CACHE: cacheDir } },
        ]
      : []),
  ];
  const [tracingOff, tracingOn, cachedOff, cachedOn] = await coldStarts(bench, variants);
  const coldStart = { tracingOff, tracingOn, ...(cachedOff ? { compileCache: { tracingOff: cachedOff, tracingOn: cachedOn } } : {}) };

  const rss = [aSecret, aJwks, bSqlite, ...('skipped' in cPostgres ? [] : [cPostgres])].map((m) => m.rssAfterLoadMb ?? Infinity);
  const targets = [
    target('(a) server CPU per request ≤ 2.5 × bare Fastify’s (efficiency ≥ 0.40)',
      `${aSecret.cpuEfficiencyToBareFastify} (${aSecret.serverCpuMicrosecondsPerRequest} / ${bare.serverCpuMicrosecondsPerRequest} µs); req/s ${aSecret.ratioToBareFastify}×`,
      (aSecret.cpuEfficiencyToBareFastify ?? 0) >= 0.4), // prettier-ignore
    target('(a) zero errors and non-2xx',
      `${aSecret.errors + aJwks.errors} errors, ${aSecret.non2xx + aJwks.non2xx} non-2xx; side by side ${sideBySideFailures} of either`,
      aSecret.errors + aSecret.non2xx + aJwks.errors + aJwks.non2xx + sideBySideFailures === 0), // prettier-ignore
    target('(a) JWKS within 10 % of shared secret (req/s, side by side)', `${round(jwksToSecret * 100, 1)} %`, jwksToSecret >= 0.9),
    target('(a) p99 ≤ 25 ms at 50 connections', `${aSecret.latencyP99Ms} / ${aJwks.latencyP99Ms} ms`,
      Math.max(aSecret.latencyP99Ms, aJwks.latencyP99Ms) <= 25), // prettier-ignore
    target('RSS after load ≤ 200 MB', `max ${Math.max(...rss)} MB`, Math.max(...rss) <= 200),
    target('cold start ≤ 1.5 s (tracing off)', `${coldStart.tracingOff.medianMs} ms`, coldStart.tracingOff.medianMs <= 1500),
  ];
  printTable([bare, plainNest, aSecret, aJwks, bSqlite, ...('skipped' in cPostgres ? [] : [cPostgres])]);
  const cached = coldStart.compileCache;
  const withCache = cached ? `; with the compile cache ${cached.tracingOff.medianMs} ms (off), ${cached.tracingOn.medianMs} ms (on)` : '';
  console.log(
    `\nCold start: ${coldStart.tracingOff.medianMs} ms (tracing off), ${coldStart.tracingOn.medianMs} ms (tracing on)${withCache}`,
  );
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.met ? 'MET   ' : 'MISSED'} ${t.name}: ${t.value}`);
  const perRound = (a: Measurement, b: Measurement) => perRoundRatios(a, b).map((ratio) => round(ratio, 3));
  const cpuPerRound = perRoundCpuEfficiency(aSecret, bare).map((ratio) => round(ratio, 3));
  console.log(`\nPer round: (a) shared secret CPU efficiency (bare µs ÷ chassis µs) ${cpuPerRound.join(', ')}`);
  console.log(
    `Per round: (a) shared secret ÷ bare req/s ${perRound(aSecret, bare).join(', ')}; JWKS ÷ shared secret ${perRound(aJwks, aSecret).join(', ')}`,
  );
  console.log(
    `JWKS ÷ shared secret: side by side ${sideBySide.map((pair) => pair.map((run) => run.ratio).join(', ')).join('; ')} → median ${jwksToSecret}; ` +
      `in turns (median of the rounds above) ${jwksToSecretInTurns}`,
  );
  return {
    scenarios: { bare, plainNest, aSecret, aJwks, bSqlite, cPostgres },
    jwksToSharedSecret: { sideBySide: jwksToSecret, inTurns: jwksToSecretInTurns, sideBySidePairs: sideBySide },
    coldStart,
    targets,
  };
}

/**
 * Scenario (a) with one layer off at a time, to say what each layer costs.
 * Bench-only configurations: the product ships with all of them on.
 * Cost of a layer = server CPU µs per request with the full pipeline − without
 * that layer (CPU per request is far steadier than req/s on a shared machine).
 */
async function layers(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const auth = { authorization: bearer(secretKey(secret), 'HS256', 'items:read') };
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });
  const variants: { name: string; env: Record<string, string>; path: string; headers: Record<string, string> }[] = [
    { name: 'full pipeline', env: {}, path: PING, headers: auth },
    { name: 'without access log (LOG_LEVEL=warn)', env: { LOG_LEVEL: 'warn' }, path: PING, headers: auth },
    { name: 'without metrics (METRICS_ENABLED=false)', env: { METRICS_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without rate limiting (RATE_LIMIT_ENABLED=false)', env: { RATE_LIMIT_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without compression (COMPRESSION_ENABLED=false)', env: { COMPRESSION_ENABLED: 'false' }, path: PING, headers: auth },
    { name: 'without authentication (@Public() route)', env: {}, path: '/bench/public-ping', headers: {} },
    {
      name: 'all five off (Nest + ids, context, security headers, errors)',
      env: { LOG_LEVEL: 'warn', METRICS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false', COMPRESSION_ENABLED: 'false' },
      path: '/bench/public-ping',
      headers: {},
    },
  ];
  console.log('Bare Fastify, NestJS on Fastify and every variant, in rounds');
  const measured = await bench.withAll(
    [
      { nodeArgs: BARE, env: {}, readyPath: PING },
      { nodeArgs: PLAIN_NEST, env: {}, readyPath: PING },
      ...variants.map((variant, index) => ({
        nodeArgs: CHASSIS_BENCH,
        env: { ...base, ...variant.env, DATABASE_URL: `sqlite:${join(bench.workDir, `layer-${index}.sqlite`)}` },
        readyPath: READY,
      })),
    ],
    ([bareServer, nestServer, ...variantServers]) =>
      bench.measureInRounds([
        { name: 'bare Fastify', server: bareServer, path: PING, headers: {} },
        { name: 'NestJS on Fastify, no chassis', server: nestServer, path: PING, headers: {} },
        ...variants.map((variant, index) => ({
          name: variant.name,
          server: variantServers[index],
          path: variant.path,
          headers: variant.headers,
        })),
      ]),
  );
  const [bare, plainNest, ...rows] = measured as [Measurement, Measurement, ...(Measurement & { costMicroseconds?: number })[]];
  const fullCpu = rows[0].serverCpuMicrosecondsPerRequest ?? NaN;
  for (const row of [plainNest, ...rows]) {
    row.ratioToBareFastify = pairedRatio(row, bare);
    row.cpuEfficiencyToBareFastify = round(median(perRoundCpuEfficiency(row, bare)), 3);
  }
  for (const row of rows) {
    if (row !== rows[0]) row.costMicroseconds = round(fullCpu - (row.serverCpuMicrosecondsPerRequest ?? NaN), 1);
  }
  printTable([bare, plainNest, ...rows]);
  console.log('\nPer-request cost of each layer (server CPU µs per request, full pipeline minus without it)');
  for (const row of rows.slice(1)) console.log(`  ${row.name}: ${row.costMicroseconds} µs`);
  return { bare, plainNest, layers: rows };
}

/**
 * What `@Idempotent()` costs: the same authenticated POST (no I/O in the
 * handler) with and without the decorator, every request with a fresh
 * Idempotency-Key (so every one claims and completes a record), with the
 * in-memory store and, when it answers, with Redis. In rounds, like the rest.
 */
async function idempotency(bench: Bench): Promise<Record<string, unknown>> {
  const secret = randomSecret();
  const headers = {
    authorization: bearer(secretKey(secret), 'HS256', 'items:write'),
    'content-type': 'application/json',
  };
  const body = JSON.stringify({ sku: 'BENCH-1', name: 'Bench item', priceCents: 1250, currency: 'EUR' });
  const base = productionEnv(bench.workDir, { AUTH_JWT_SECRET: secret });
  const redis = await postgresAndRedis();
  const stores = [{ label: 'memory store', env: {} as Record<string, string> }];
  if (typeof redis !== 'string')
    stores.push({ label: 'Redis store', env: { REDIS_URL: redis.redisUrl, IDEMPOTENCY_KEY_PREFIX: `bench:${process.pid}:idem:` } });
  else console.log(`Redis store skipped: ${redis}`);
  console.log('POST with and without @Idempotent(), a fresh key per request, in rounds');
  const measured = await bench.withAll(
    stores.map((store, index) => ({
      nodeArgs: CHASSIS_BENCH,
      env: { ...base, ...store.env, DATABASE_URL: `sqlite:${join(bench.workDir, `idempotency-${index}.sqlite`)}` },
      readyPath: READY,
    })),
    (servers) =>
      bench.measureInRounds(
        stores.flatMap((store, index) => [
          { name: `POST, no decorator (${store.label})`, server: servers[index], path: '/bench/echo', headers, method: 'POST', body },
          {
            name: `POST, @Idempotent() (${store.label})`,
            server: servers[index],
            path: '/bench/echo-idempotent',
            headers,
            method: 'POST',
            body,
          },
        ]),
      ),
  );
  printTable(measured);
  const overheads = stores.map((store, index) => {
    const [plain, idempotent] = [measured[2 * index], measured[2 * index + 1]];
    const perRound = idempotent.runs.map(
      (run, i) => (run.serverCpuMicrosecondsPerRequest ?? NaN) / (plain.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) - 1,
    );
    const overhead = round(median(perRound) * 100, 1);
    console.log(`  ${store.label}: @Idempotent() adds ${overhead} % server CPU per request (median of per-round ratios; target <= 15 %)`);
    return { store: store.label, cpuOverheadPercent: overhead, perRound: perRound.map((r) => round(r * 100, 1)) };
  });
  return { measured, overheads };
}

/** Errors, timeouts and non-2xx answers of one load. */
function failures(result: LoadResult): number {
  return result.errors + result.timeouts + result.non2xx;
}

function target(name: string, value: string, met: boolean) {
  return { name, value, met };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function printTable(rows: Measurement[]): void {
  console.log(
    '\n| Scenario | server CPU µs/req | CPU efficiency (bare ÷ this) | req/s (median) | req/s × bare | p50 ms | p99 ms | errors | non-2xx | RSS after load MB |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.serverCpuMicrosecondsPerRequest} | ${r.cpuEfficiencyToBareFastify ?? ''} | ${r.requestsPerSecond} | ${r.ratioToBareFastify ?? ''} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.errors} | ${r.non2xx} | ${r.rssAfterLoadMb ?? ''} |`,
    );
  }
}

async function main(): Promise<void> {
  const bench = new Bench();
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, pinning: bench.pin.description };
  const startedAt = new Date().toISOString();
  console.log(`nest-chassis bench — ${startedAt}`);
  console.log(`  ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; ${machine.pinning}`);
  console.log(
    `  ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.repeats} × ${settings.durationSeconds} s (median)`,
  );
  console.log(`  load average before: ${loadAverage().join(' ')}; server logs: ${bench.logFile}\n`);
  const began = Date.now();
  try {
    const results = args.layers ? await layers(bench) : args.idempotency ? await idempotency(bench) : await scenarios(bench);
    const output = {
      command:
        process.env.BENCH_COMMAND ??
        (args.layers ? 'npm run bench -- --layers' : args.idempotency ? 'npm run bench -- --idempotency' : 'npm run bench'),
      startedAt,
      durationSeconds: Math.round((Date.now() - began) / 1000),
      machine,
      settings,
      loadAverageAfter: loadAverage(),
      ...results,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(
      ROOT,
      'bench',
      'results',
      args.layers ? 'latest-layers.json' : args.idempotency ? 'latest-idempotency.json' : 'latest.json',
    );
    writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nWrote ${file} (${output.durationSeconds} s)`);
    rmSync(bench.workDir, { recursive: true, force: true });
  } catch (error) {
    console.error(`\nbench failed: ${(error as Error).stack}\n(server logs kept in ${bench.workDir})`);
    process.exitCode = 1;
  }
}

void main().then(() => sleep(0));
