import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDir, chartScenarios, filesUnder, helm, renderChart, renderedOne, validateManifests } from './deploy-files';

/**
 * The chart rendered by a real helm (v4, the pinned binary of scripts/helm.js) and every rendered
 * object validated against the Kubernetes OpenAPI schemas (scripts/validate-k8s.mjs: unknown
 * kinds and fields, wrong types and missing required fields fail), in every scenario of
 * chartScenarios: the defaults, each CI values file, each optional object on.
 */
// Each test spawns helm or the validator (a Node process loading the schemas): seconds on a loaded machine.
jest.setTimeout(30_000);

const renders = Object.fromEntries(Object.entries(chartScenarios).map(([name, args]) => [name, renderChart(args)]));

describe('helm lint', () => {
  it.each(['charts/nest-chassis/values.yaml', ...filesUnder('charts/nest-chassis/ci')])('passes with %s, warnings included', (values) => {
    const result = helm(['lint', '--strict', 'charts/nest-chassis', '-f', values]);
    expect(`${result.stdout}${result.stderr}`).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('helm template: every object valid against the Kubernetes schemas', () => {
  const errors = validateManifests(Object.fromEntries(Object.entries(renders).map(([name, render]) => [name, render.text])));

  it.each(Object.keys(chartScenarios))('%s', (name) => {
    expect(renders[name].objects.length).toBeGreaterThan(3);
    expect(errors[name]).toEqual([]);
  });

  it('every template renders in at least one scenario', () => {
    const rendered = new Set(Object.values(renders).flatMap((render) => render.objects.map((object) => object.source)));
    const templates = filesUnder('charts/nest-chassis/templates')
      .filter((path) => path.endsWith('.yaml'))
      .map((path) => path.replace('charts/', ''));
    expect(templates.filter((template) => !rendered.has(template))).toEqual([]);
  });

  // kubernetes-models keeps the schemas of retired API versions too (apps/v1beta1, extensions/v1beta1…):
  // the chart uses only the stable versions current Kubernetes serves.
  it('every object uses a stable API version', () => {
    const stable = ['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'monitoring.coreos.com/v1'];
    const apiVersions = new Set(Object.values(renders).flatMap((render) => render.objects.map((object) => object.apiVersion)));
    expect([...apiVersions].filter((apiVersion) => !stable.includes(apiVersion))).toEqual([]);
  });

  it('the optional objects follow their switches', () => {
    const kinds = (name: string) => renders[name].objects.map((object) => object.kind).sort();
    expect(kinds('defaults')).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'Deployment',
        'Job',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Secret',
        'Service',
        'ServiceAccount',
      ]),
    );
    expect(kinds('defaults')).not.toEqual(expect.arrayContaining(['Ingress']));
    expect(kinds('the Ingress with TLS')).toContain('Ingress');
    expect(kinds('the HPA on CPU and memory')).toContain('HorizontalPodAutoscaler');
    expect(kinds('the ServiceMonitor')).toContain('ServiceMonitor');
    expect(kinds('SQLite on a PVC')).toContain('PersistentVolumeClaim');
    expect(kinds('an existing Secret and claim')).not.toContain('PersistentVolumeClaim');
    expect(kinds('an existing Secret and claim')).not.toContain('Secret');
    expect(kinds('every optional object off')).toEqual(['ConfigMap', 'Deployment', 'Pod', 'Secret', 'Service']);
  });
});

describe('the worker Deployment (worker.enabled)', () => {
  interface Workload {
    metadata: { name: string };
    spec: {
      replicas?: number;
      selector: { matchLabels: Record<string, string> };
      template: {
        metadata: { labels: Record<string, string> };
        spec: {
          containers: {
            name: string;
            image: string;
            env: { name: string; value?: string }[];
            envFrom: object[];
            ports: { name: string }[];
            resources: object;
            securityContext: object;
            startupProbe: { httpGet: { path: string } };
            livenessProbe: { httpGet: { path: string } };
            readinessProbe: { httpGet: { path: string } };
          }[];
          securityContext: object;
        };
      };
    };
  }
  const deployments = (name: string) => renders[name].objects.filter((object) => object.kind === 'Deployment') as unknown as Workload[];
  const role = (deployment: Workload) =>
    deployment.spec.template.spec.containers[0].env.find((entry) => entry.name === 'PROCESS_ROLE')?.value;
  const byComponent = (name: string, component: string) =>
    renders[name].objects
      .filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === component)
      .map((object) => object.kind)
      .sort();

  it('off by default: one Deployment, PROCESS_ROLE=all (the API runs the workers)', () => {
    expect(deployments('defaults').map(role)).toEqual(['all']);
    expect(byComponent('defaults', 'worker')).toEqual([]);
  });

  it('on: the API gets PROCESS_ROLE=api, the worker PROCESS_ROLE=worker, same image, config, secret and security', () => {
    const [api, worker] = deployments('ci/worker-values.yaml');
    expect([api.metadata.name, worker.metadata.name]).toEqual(['release-nest-chassis', 'release-nest-chassis-worker']);
    expect([role(api), role(worker)]).toEqual(['api', 'worker']);
    const [apiContainer, workerContainer] = [api, worker].map((deployment) => deployment.spec.template.spec.containers[0]);
    expect(workerContainer.image).toBe(apiContainer.image);
    expect(workerContainer.envFrom).toEqual(apiContainer.envFrom);
    expect(workerContainer.securityContext).toEqual(apiContainer.securityContext);
    expect(worker.spec.template.spec.securityContext).toEqual(api.spec.template.spec.securityContext);
    expect(workerContainer.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '384Mi' } });
    expect(
      [workerContainer.startupProbe, workerContainer.livenessProbe, workerContainer.readinessProbe].map((probe) => probe.httpGet.path),
    ).toEqual(['/health/startup', '/health/live', '/health/ready']);
    expect(workerContainer.ports.map((port) => port.name)).toEqual(['http', 'metrics']);
  });

  it("the worker's selector never overlaps the API's (Service, PDB, NetworkPolicy select the API only)", () => {
    const [api, worker] = deployments('ci/worker-values.yaml');
    expect(api.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('api');
    expect(worker.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('worker');
    expect(worker.spec.template.metadata.labels).toMatchObject(worker.spec.selector.matchLabels);
    const service = renderedOne<{ spec: { selector: Record<string, string> } }>(renders['ci/worker-values.yaml'].objects, 'Service');
    expect(service.spec.selector['app.kubernetes.io/component']).toBe('api');
  });

  it('HPA, PDB, PodMonitor and NetworkPolicy follow their switches; no Service or Ingress', () => {
    expect(byComponent('ci/worker-values.yaml', 'worker')).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PodMonitor',
    ]);
    expect(deployments('ci/worker-values.yaml')[1].spec.replicas).toBeUndefined();
    const bare = 'a worker without HPA, PDB or metrics, Redis from an existing Secret';
    expect(byComponent(bare, 'worker')).toEqual(['Deployment', 'NetworkPolicy']);
    expect(deployments(bare)[1].spec.replicas).toBe(2);
    expect(deployments(bare)[1].spec.template.spec.containers[0].ports.map((port) => port.name)).toEqual(['http']);
  });
});

describe('helm refuses what the chart forbids', () => {
  it.each([
    [
      'a grace period shorter than preStop + delay + timeout',
      ['--set', 'shutdown.terminationGracePeriodSeconds=10'],
      /terminationGracePeriodSeconds/,
    ],
    ['a worker without Redis', ['--set', 'worker.enabled=true'], /worker\.enabled needs Redis: set REDIS_URL/],
    [
      'a worker with REDIS_URL in secret.values of a Secret the chart does not create',
      ['--set', 'worker.enabled=true', '--set', 'secret.create=false', '--set', 'secret.values.REDIS_URL=redis://redis:6379'],
      /worker\.enabled needs Redis/,
    ],
    [
      'a worker next to SQLite on a PVC',
      [...chartScenarios['SQLite on a PVC'], '--set', 'worker.enabled=true', '--set', 'secret.values.REDIS_URL=redis://redis:6379'],
      /worker\.enabled with persistence\.enabled/,
    ],
    [
      'PROCESS_ROLE in config: the chart sets it per Deployment (values.schema.json)',
      ['--set', 'config.PROCESS_ROLE=worker'],
      /PROCESS_ROLE|config/,
    ],
    ['TRUST_PROXY true (values.schema.json)', ['--set-string', 'trustProxy=true'], /trustProxy/],
    [
      'SQLite persistence with two replicas (values.schema.json)',
      ['--set', 'persistence.enabled=true', '--set', 'replicaCount=2'],
      /replicaCount|persistence/,
    ],
  ])('%s', (_name, args, message) => {
    expect(() => renderChart(args)).toThrow(message);
  });
});

describe('a broken template fails the schema validation', () => {
  let brokenChart: string;
  beforeAll(() => {
    brokenChart = mkdtempSync(join(tmpdir(), 'nest-chassis-chart-'));
    cpSync(chartDir, brokenChart, { recursive: true });
  });
  afterAll(() => rmSync(brokenChart, { recursive: true, force: true }));

  /** The errors of the Deployment rendered from deployment.yaml with `search` replaced. */
  function deploymentErrors(search: RegExp, replacement: string): string[] {
    const path = join(brokenChart, 'templates', 'deployment.yaml');
    const original = readFileSync(path, 'utf8');
    const broken = original.replace(search, replacement);
    expect(broken).not.toBe(original);
    writeFileSync(path, broken);
    try {
      const errors = validateManifests({ broken: renderChart([], brokenChart).text }).broken;
      return errors.filter((error) => error.startsWith('Deployment/'));
    } finally {
      writeFileSync(path, original);
    }
  }

  it.each([
    [
      'a misspelled field',
      /containerPort:/,
      'containerPorts:',
      /unknown field spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPorts/,
    ],
    [
      'a field at the wrong level',
      /^(\s+)terminationGracePeriodSeconds:/m,
      '$1terminationGracePeriod:',
      /unknown field spec\.template\.spec\.terminationGracePeriod\b/,
    ],
    [
      'a string where an integer belongs',
      /^(\s+)replicas: \{\{ \.Values\.replicaCount \}\}/m,
      '$1replicas: "{{ .Values.replicaCount }}"',
      /\/spec\/replicas type/,
    ],
    [
      'an API version that does not exist',
      /^apiVersion: apps\/v1$/m,
      'apiVersion: apps/v2',
      /apps\/v2 kind Deployment is not in the Kubernetes schemas/,
    ],
  ])('%s', (_name, search, replacement, error) => {
    const errors = deploymentErrors(search, replacement);
    expect(errors.join('\n')).toMatch(error);
  });
});
