/** The bench's command-line settings, the servers it starts and the production environment they run with. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIENCE, ISSUER } from './identity';
import { startProdNodeArgs } from './support';

export const { values: args } = parseArgs({
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
    'http-client': { type: 'boolean', default: false },
    jobs: { type: 'boolean', default: false },
    tenancy: { type: 'boolean', default: false },
    sse: { type: 'boolean', default: false },
    outbox: { type: 'boolean', default: false },
  },
});
export const settings = {
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
export const MAIN = startProdNodeArgs();
export const CHASSIS_BENCH = [...MAIN.slice(0, -1), 'bench/servers/chassis-bench.js'];
export const BARE = ['bench/servers/bare-fastify.js'];
export const PLAIN_NEST = ['bench/servers/nest-plain.js'];
export const PING = '/bench/ping';
export const READY = '/health/ready';

/** Production settings: every concern on, limits high enough never to refuse the load. */
export function productionEnv(workDir: string, extra: Record<string, string>): Record<string, string> {
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
