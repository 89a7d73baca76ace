import { monitorEventLoopDelay } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { InjectOptions, Response } from 'light-my-request';
import type { AppConfig } from '../../src/core/config/app-config';
import { APP_CONFIG } from '../../src/core/config/config.tokens';
import { routeInventory, type RouteInventoryEntry } from '../../src/core/contract/route-inventory';
import { FeaturesModule } from '../../src/features/features.module';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * The hostile-input property, for EVERY route of the route inventory (feature
 * routes included, enumerated from the app): whatever body, query and headers
 * a client sends,
 *
 * 1. the answer is never a 5xx, and every 4xx is problem+json with the request id;
 * 2. the process stays alive (the liveness probe answers after every request);
 * 3. no request within BODY_LIMIT_BYTES blocks the event loop for more than
 *    100 ms (`perf_hooks.monitorEventLoopDelay`, sampled every 5 ms, read
 *    around the request only).
 *
 * The app runs with the production defaults for every limit that bounds the
 * work (body, JSON shape); only the rate limits are raised, so that requests
 * reach parsing and validation instead of a 429.
 *
 * Bounded for CI: FUZZ_RUNS runs (default 250) and at most FUZZ_TIME_LIMIT_MS
 * (default 120 s) of generation. The seed is printed, and fast-check reports
 * the seed and path of a failure: rerun with FUZZ_SEED=<seed> to reproduce.
 */
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 120_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The property's bound on one request's hold on the event loop. */
const MAX_BLOCK_MS = 100;

jest.setTimeout(TIME_LIMIT_MS + 120_000);

describe('hostile input: no request can stall the service, every client error is a 4xx problem (property)', () => {
  let t: TestApp;
  let routes: RouteInventoryEntry[];
  let bodyLimit: number;
  beforeAll(async () => {
    t = await bootTestApp({ RATE_LIMIT_LIMIT: '1000000', RATE_LIMIT_PRE_AUTH_LIMIT: '10000000', LOG_LEVEL: 'warn' });
    routes = routeInventory(t.app, { featureRoot: FeaturesModule });
    bodyLimit = t.app.get<AppConfig>(APP_CONFIG).http.bodyLimitBytes;
    console.log(`hostile-input property: seed ${SEED}, ${NUM_RUNS} runs, ${routes.length} routes`);
  });
  afterAll(async () => t.close());

  it('holds for generated bodies, queries and headers on every route', async () => {
    const statuses = new Map<number, number>();
    const property = fc.asyncProperty(
      requestArbitrary(() => routes),
      async (generated) => {
        const request = toInjectOptions(generated, t);
        const { response, blockedMs } = await injectMeasured(t, request);
        const size = request.payload === undefined ? 0 : Buffer.byteLength(request.payload as string, 'latin1');
        const label = `${request.method} ${request.url} (${size} bytes)`;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect([label, response.statusCode < 500]).toEqual([label, true]);
        if (response.statusCode >= 400) {
          expect([label, response.headers['content-type']]).toEqual([label, expect.stringContaining('application/problem+json')]);
          expect([label, problemOf(response).requestId]).toEqual([label, response.headers['x-request-id']]);
        }
        if (size <= bodyLimit && blockedMs > MAX_BLOCK_MS) throw new Error(`${label}: the event loop was held ${blockedMs.toFixed(0)} ms`);
        const live = await t.app.inject({ method: 'GET', url: '/health/live' });
        expect(live.statusCode).toBe(200);
      },
    );
    await fc.assert(property, { numRuns: NUM_RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });
    // What the runs reached (a coverage check for the generator): statuses and their counts.
    console.log(`hostile-input property: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  });

  it('holds for the worst shapes at and just past every default limit, on every route that takes a body', async () => {
    const worst = [
      wideObject(90_000), // the 20-30 s stall before the JSON limits (900 KB, within BODY_LIMIT_BYTES)
      '['.repeat(100_000) + ']'.repeat(100_000), // the stack overflow (500) before them
      wideObject(501),
      wideObject(500),
      JSON.stringify(Array.from({ length: 10 }, () => new Array(248).fill({}))), // 2491 values
      '['.repeat(32) + ']'.repeat(32),
      JSON.stringify({ text: 'x'.repeat(512 * 1024 - 8) }),
      JSON.stringify(Array.from({ length: 250 }, (_, i) => ({ [`k${i}`]: 'v'.repeat(2000) }))),
    ];
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.bodyLimitBytes !== null)) {
      for (const [i, payload] of worst.entries()) {
        const request = {
          method: route.method as 'POST',
          url: urlOf(route, []),
          headers: { 'content-type': 'application/json', ...authFor(route, t) },
          payload,
        };
        const { response, blockedMs } = await injectMeasured(t, request);
        if (response.statusCode >= 500 || blockedMs > MAX_BLOCK_MS) {
          failures.push(
            `${route.method} ${route.path} worst shape ${i}: ${response.statusCode}, event loop held ${blockedMs.toFixed(0)} ms`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** What the generator picks; turned into an inject request by {@link toInjectOptions}. */
interface GeneratedRequest {
  route: RouteInventoryEntry;
  params: string[];
  query: string;
  headers: Record<string, string>;
  token: 'none' | 'valid' | 'garbage' | 'expired';
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: string | undefined;
  remoteAddress: string;
}

/**
 * Biased towards requests that reach parsing and validation (the expensive
 * steps): routes that take a body, a valid token, a JSON content type, no
 * content coding. The rest still comes often enough to be exercised.
 */
function requestArbitrary(routes: () => RouteInventoryEntry[]): fc.Arbitrary<GeneratedRequest> {
  const bodyRoutes = () => routes().filter((r) => r.bodyLimitBytes !== null);
  return fc.record({
    route: fc.oneof(
      { weight: 3, arbitrary: fc.nat().map((i) => bodyRoutes()[i % bodyRoutes().length]) },
      { weight: 2, arbitrary: fc.nat().map((i) => routes()[i % routes().length]) },
    ),
    params: fc.array(segmentArbitrary(), { minLength: 3, maxLength: 3 }),
    query: queryArbitrary(),
    headers: headersArbitrary(),
    token: fc.constantFrom('none', 'valid', 'valid', 'valid', 'valid', 'garbage', 'expired'),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          undefined,
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          '',
        ),
      },
    ),
    contentEncoding: fc.oneof(
      { weight: 9, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity', 'compress', 'GZIP') },
    ),
    body: fc.option(bodyArbitrary(), { nil: undefined, freq: 8 }),
    remoteAddress: fc.ipV4(),
  });
}

/** A path parameter: plain, encoded arbitrary text, or a known-hostile segment. */
function segmentArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant('00000000-0000-4000-8000-000000000000'),
    fc.uuid(),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
    fc.constantFrom('%zz', '%C0%AF', '%ED%A0%80', '..', '%2e%2e%2f', '%00', 'a'.repeat(500), '%25', '%F0%9F%92%A9'),
  );
}

function queryArbitrary(): fc.Arbitrary<string> {
  const pair = fc
    .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 24 }))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return fc.oneof(
    fc.constant(''),
    fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&')),
    fc.constantFrom(
      'limit=-1',
      'limit=1e308',
      'limit=NaN',
      'offset=99999999999999999999',
      'sort=__proto__',
      'a[b][c][d]=1',
      '__proto__[x]=1',
      'limit=1&limit=2',
      '%zz=1',
      'x=%C0%AF',
    ),
    fc.integer({ min: 100, max: 1500 }).map((n) => Array.from({ length: n }, (_, i) => `k${i}=1`).join('&')),
    fc.integer({ min: 100, max: 1500 }).map((n) => new Array<string>(n).fill('limit=1').join('&')),
  );
}

function headersArbitrary(): fc.Arbitrary<Record<string, string>> {
  const value = fc.string({ maxLength: 64, unit: fc.constantFrom(...'abcXYZ019 -_.,;=:/*"\'\\()[]{}<>'.split('')) });
  return fc.record(
    {
      'x-correlation-id': fc.oneof(value, fc.constant('a'.repeat(300))),
      'x-request-id': value,
      'x-forwarded-for': fc.oneof(value, fc.constant('1.2.3.4, 5.6.7.8, ::1, garbage')),
      'x-forwarded-host': value,
      'x-forwarded-proto': fc.constantFrom('https', 'http', 'gopher', ''),
      accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'application/problem+json', ''),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', '*', 'gzip;q=0, br;q=0', 'x'.repeat(200)),
      origin: fc.constantFrom('https://evil.example', 'null', 'http://localhost'),
      cookie: value,
      'if-none-match': value,
      range: fc.constantFrom('bytes=0-1', 'bytes=-1', 'bytes=0-0,1-1,2-2'),
    },
    { requiredKeys: [] },
  );
}

/**
 * A body: random JSON, shapes at and past every limit (built from their size,
 * so a 90 000-member object costs no generation time), and non-JSON bytes.
 */
function bodyArbitrary(): fc.Arbitrary<string> {
  const around = (...sizes: number[]) => fc.constantFrom(...sizes);
  const shapes = fc.oneof(
    around(499, 500, 501, 5000, 20_000, 20_000, 90_000, 90_000).map(wideObject),
    around(31, 32, 33, 1000, 100_000).map((d) => '['.repeat(d) + ']'.repeat(d)),
    around(31, 33, 5000).map((d) => '{"a":'.repeat(d) + 'null' + '}'.repeat(d)),
    around(249, 250, 251, 100_000).map((n) => `[${new Array<string>(n).fill('0').join(',')}]`),
    around(9, 10, 11, 100).map((rows) => JSON.stringify({ sku: 'abc', rows: Array.from({ length: rows }, () => new Array(248).fill(0)) })),
    around(100, 512 * 1024, 600 * 1024).map((n) => JSON.stringify({ name: 'é'.repeat(Math.floor(n / 2)) })),
  );
  const values = fc.oneof(
    fc.json({ maxDepth: 6 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify({ sku: 'abc', name: 'n', priceCents: 1, currency: 'EUR', extra: v })),
    fc
      .record({ sku: fc.string(), name: fc.string(), priceCents: fc.oneof(fc.integer(), fc.double(), fc.string()), currency: fc.string() })
      .map((v) => JSON.stringify(v)),
  );
  const oddities = fc.oneof(
    fc.constantFrom(
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"a":1e400}',
      '{"a":-0}',
      '{"a":"\\ud800"}',
      '"\\u0000"',
      '',
      ' ',
      'null',
      '{"sku":"abc",',
      '\u00ef\u00bb\u00bf{}',
      '{"a":1,"a":2}',
    ),
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  return fc.oneof({ weight: 3, arbitrary: shapes }, { weight: 2, arbitrary: values }, { weight: 1, arbitrary: oddities });
}

/** An object with `members` members in as few bytes as can be (90 000 fit in 900 KB, within the default body limit). */
function wideObject(members: number): string {
  const parts = new Array<string>(members);
  for (let i = 0; i < members; i++) parts[i] = `"${i.toString(36)}":0`;
  return `{${parts.join(',')}}`;
}

function urlOf(route: RouteInventoryEntry, params: string[]): string {
  let i = 0;
  return route.path.replace(/:[^/]+/g, () => params[i++] ?? '00000000-0000-4000-8000-000000000000').replace(/\*$/, 'x');
}

function authFor(route: RouteInventoryEntry, t: TestApp): Record<string, string> {
  return route.auth === 'public' ? {} : t.authHeader({ sub: 'fuzz', scope: route.scopes.join(' '), roles: route.roles });
}

function toInjectOptions(g: GeneratedRequest, t: TestApp): InjectOptions {
  const takesBody = g.route.bodyLimitBytes !== null;
  const headers: Record<string, string> = { ...g.headers };
  if (g.token === 'valid') Object.assign(headers, authFor(g.route, t));
  if (g.token === 'garbage') headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
  if (g.token === 'expired') Object.assign(headers, t.authHeader({ sub: 'fuzz' }, { expiresInSeconds: -60 }));
  if (takesBody && g.contentType !== undefined) headers['content-type'] = g.contentType;
  if (g.contentEncoding !== undefined) headers['content-encoding'] = g.contentEncoding;
  const query = g.query === '' ? '' : `?${g.query}`;
  return {
    method: g.route.method as 'GET',
    url: `${urlOf(g.route, g.params)}${query}`,
    headers,
    remoteAddress: g.remoteAddress,
    ...(takesBody && g.body !== undefined ? { payload: g.body } : {}),
  };
}

/**
 * Injects the request and reads the longest event-loop delay seen while it
 * was served. The histogram runs for a few ticks first: its first tick only
 * takes a baseline (a block before it would go unrecorded; `reset()` would
 * lose the baseline again), and the test's own work (building the body),
 * done before it is enabled, is not counted.
 * A breach is measured up to four more times and the least is kept, so that a pause of
 * the shared machine is not taken for the request's own work.
 */
async function injectMeasured(t: TestApp, request: InjectOptions): Promise<{ response: Response; blockedMs: number }> {
  let response: Response | undefined;
  let blockedMs = Infinity;
  for (let attempt = 0; attempt < 5 && blockedMs > MAX_BLOCK_MS; attempt++) {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    await new Promise((resolve) => setTimeout(resolve, 15));
    response = await t.app.inject(request);
    await new Promise((resolve) => setTimeout(resolve, 15));
    histogram.disable();
    blockedMs = Math.min(blockedMs, histogram.max / 1e6);
  }
  return { response: response!, blockedMs };
}

/** The problem body, decompressed when the response was compressed (the generator sends Accept-Encoding). */
function problemOf(response: Response): { requestId?: string } {
  const decoders: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync };
  const decode = decoders[String(response.headers['content-encoding'])] ?? ((body: Buffer) => body);
  return JSON.parse(decode(response.rawPayload).toString('utf8')) as { requestId?: string };
}
