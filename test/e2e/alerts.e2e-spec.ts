import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bootTestApp, type TestApp } from '../support/test-app';
import { parseSamples } from '../support/prometheus-text';

type Rules = { groups: { name: string; rules: { alert: string; expr: string }[] }[] };

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'by',
  'without',
  'rate',
  'increase',
  'histogram_quantile',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
]);

/** Metric names an expression reads: identifiers that are not PromQL words, labels or functions. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ') // grouping labels
    .replace(/\[[^\]]*\]/g, ' '); // range durations
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name));
}

/**
 * Series the rules read that this scrape (SQLite, shared-secret mode) cannot
 * show, and why. The pool gauges exist only on PostgreSQL (asserted by
 * test/integration/readiness.int-spec.ts).
 */
const NOT_IN_THIS_SCRAPE: Record<string, string> = {
  db_client_connection_pending_requests: 'PostgreSQL only',
  auth_jwks_fetches_total: 'JWKS mode only (test/e2e/auth-jwks.e2e-spec.ts asserts it)',
  dependency_circuit_state:
    'Redis, PostgreSQL or JWKS only (test/integration/circuit-breaker-*.int-spec.ts, test/e2e/circuit-breaker-jwks.e2e-spec.ts assert it)',
  queue_jobs: 'only with a queue declared (test/e2e/jobs.e2e-spec.ts asserts it)',
  queue_jobs_processed_total: 'only once a job ran (test/e2e/jobs.e2e-spec.ts asserts it)',
};

const ROOT = join(__dirname, '..', '..');

/** docs/alerts.yaml and every feature's own rule file (src/features/<name>/<name>.alerts.yaml). */
function ruleFiles(): string[] {
  const features = join(ROOT, 'src', 'features');
  const own = readdirSync(features, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => readdirSync(join(features, entry.name)).map((file) => join(features, entry.name, file)))
    .filter((file) => file.endsWith('.alerts.yaml') && !file.endsWith('.alerts.test.yaml'));
  return [join(ROOT, 'docs', 'alerts.yaml'), ...own];
}

describe("docs/alerts.yaml and the features' alert rules (e2e)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(async () => t.close());

  it('reads only metrics the service emits, with the labels it emits', async () => {
    await t.app.inject({ method: 'GET', url: '/items' });
    await t.app.inject({ method: 'GET', url: '/health/ready' });
    const samples = parseSamples((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
    const emitted = new Set(samples.map((s) => s.name));

    const files = ruleFiles();
    expect(files.some((file) => file.endsWith('items.alerts.yaml'))).toBe(true);
    const exprs = files.flatMap((file) =>
      (parse(readFileSync(file, 'utf8')) as Rules).groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    );
    const used = [...new Set(exprs.flatMap(metricNames))].sort();
    expect(used).toContain('http_server_request_duration_seconds_count');
    expect(used.filter((name) => !emitted.has(name) && !(name in NOT_IN_THIS_SCRAPE))).toEqual([]);

    // Label names in matchers and groupings exist on the emitted series.
    const labelsOf = (name: string) => new Set(samples.filter((s) => s.name === name).flatMap((s) => Object.keys(s.labels)));
    const http = labelsOf('http_server_request_duration_seconds_count');
    for (const label of ['method', 'route', 'status_code']) expect(http.has(label)).toBe(true);
    expect(labelsOf('health_check_status').has('check')).toBe(true);
    for (const expr of exprs.filter((e) => e.includes('http_server_request_duration_seconds'))) {
      for (const [, label] of expr.matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)\s*"/g))
        expect(['method', 'route', 'status_code', 'le']).toContain(label);
    }
  });
});
