import { parse } from 'yaml';
import {
  at,
  chartDir,
  chartScenarios,
  filesUnder,
  parseYaml,
  parseYamlDocuments,
  read,
  renderChart,
  chartValues,
  type RenderedObject,
} from './deploy-files';
import { relative } from 'node:path';
import { root } from './deploy-files';

const templates = filesUnder(relative(root, chartDir) + '/templates');
const yamlTemplates = templates.filter((path) => path.endsWith('.yaml'));
const helpers = read('charts/nest-chassis/templates/_helpers.tpl');
const definedTemplates = new Set([...helpers.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]));

/** Template keywords that open a block closed by `{{ end }}`. */
const BLOCK_OPENERS = /\{\{-?\s*(if|with|range|define)\b/g;
const BLOCK_ENDS = /\{\{-?\s*end\s*-?\}\}/g;

describe('deployment YAML files parse', () => {
  it.each([
    'charts/nest-chassis/Chart.yaml',
    'charts/nest-chassis/values.yaml',
    'charts/nest-chassis/ci/kind-values.yaml',
    'charts/nest-chassis/ci/full-values.yaml',
    'charts/nest-chassis/ci/sqlite-values.yaml',
    'docker/compose.yaml',
    'docker/otel/collector.yaml',
    'docker/prometheus/prometheus.yml',
    '.github/dependabot.yml',
    ...filesUnder('.github/workflows'),
  ])('%s is one well-formed YAML document', (path) => {
    expect(parseYaml(path)).toEqual(expect.any(Object));
  });

  it('the kind fixtures are well-formed YAML documents', () => {
    const docs = parseYamlDocuments(read('.github/kind/dependencies.yaml'), 'dependencies.yaml');
    expect(docs.map((doc) => (doc as { kind: string }).kind)).toEqual(['Deployment', 'Service', 'Deployment', 'Service']);
  });

  it('Chart.yaml is a v2 application chart whose appVersion is the package version', () => {
    const chart = parseYaml<Record<string, string>>('charts/nest-chassis/Chart.yaml');
    const pkg = JSON.parse(read('package.json')) as { version: string };
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'nest-chassis', type: 'application', appVersion: pkg.version });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('chart templates (structure, without Helm)', () => {
  it('has the templates the chart promises', () => {
    expect(templates.map((path) => path.replace('charts/nest-chassis/templates/', ''))).toEqual(
      expect.arrayContaining([
        '_helpers.tpl',
        'NOTES.txt',
        'configmap.yaml',
        'deployment.yaml',
        'hpa.yaml',
        'ingress.yaml',
        'migration-job.yaml',
        'networkpolicy.yaml',
        'pdb.yaml',
        'secret.yaml',
        'service.yaml',
        'serviceaccount.yaml',
        'servicemonitor.yaml',
        'tests/test-ready.yaml',
        'worker-deployment.yaml',
        'worker-hpa.yaml',
        'worker-networkpolicy.yaml',
        'worker-pdb.yaml',
        'worker-podmonitor.yaml',
      ]),
    );
  });

  // Rendered by helm (test/unit/deploy/chart-render.spec.ts validates the objects against the Kubernetes schemas).
  const rendered: RenderedObject[] = Object.values(chartScenarios).flatMap((args) => renderChart(args).objects);
  it.each(yamlTemplates)('%s: renders (helm template) to well-formed YAML objects, each with a kind', (path) => {
    const objects = rendered.filter((object) => `charts/${object.source}` === path);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.every((object) => typeof object.kind === 'string' && object.kind.length > 0)).toBe(true);
  });

  it.each([...templates])('%s: every if/with/range/define has its end, every action is closed', (path) => {
    const text = read(path).replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '');
    expect(text.split('{{').length).toBe(text.split('}}').length);
    expect((text.match(BLOCK_OPENERS) ?? []).length).toBe((text.match(BLOCK_ENDS) ?? []).length);
  });

  it.each([...templates])('%s: includes only templates defined in _helpers.tpl', (path) => {
    const included = [...read(path).matchAll(/include\s+"([^"]+)"/g)].map((m) => m[1]);
    expect(included.filter((name) => !definedTemplates.has(name))).toEqual([]);
  });

  it('every .Values path a template reads exists in values.yaml or in values.schema.json', () => {
    const values = chartValues();
    const schema = JSON.parse(read('charts/nest-chassis/values.schema.json')) as Record<string, unknown>;
    const inSchema = (path: string[]): boolean => at(schema, path.map((key) => `properties.${key}`).join('.')) !== undefined;
    const inValues = (path: string[]): boolean => {
      const parent = path.length === 1 ? values : at(values, path.slice(0, -1).join('.'));
      return typeof parent === 'object' && parent !== null && path[path.length - 1] in parent;
    };
    const missing = templates.flatMap((path) =>
      [...read(path).matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)]
        .map((m) => m[1].slice(1).split('.'))
        // config.X / secret.values.X are free-form maps of variable names.
        .filter((keys) => !(keys[0] === 'config' && keys.length === 2))
        .filter((keys) => !inValues(keys) && !inSchema(keys))
        .map((keys) => `${path}: .Values.${keys.join('.')}`),
    );
    expect(missing).toEqual([]);
  });

  it('the migration Job and its configuration are pre-install/pre-upgrade hooks, configuration first', () => {
    const docs = renderChart().objects.filter((object) => object.source === 'nest-chassis/templates/migration-job.yaml') as {
      kind: string;
      metadata: { annotations: Record<string, string> };
    }[];
    const weight = (kind: string) => Number(docs.find((doc) => doc.kind === kind)!.metadata.annotations['helm.sh/hook-weight']);
    for (const doc of docs) expect(doc.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(docs.map((doc) => doc.kind).sort()).toEqual(['ConfigMap', 'Job', 'Secret']);
    expect(weight('ConfigMap')).toBeLessThan(weight('Job'));
    expect(weight('Secret')).toBeLessThan(weight('Job'));
  });

  it('the helm test hook calls /health/ready through the Service', () => {
    const text = read('charts/nest-chassis/templates/tests/test-ready.yaml');
    expect(text).toContain('helm.sh/hook: test');
    expect(text).toMatch(/http:\/\/\{\{ include "nest-chassis\.fullname" \. \}\}:\{\{ \.Values\.service\.port \}\}\/health\/ready/);
    const pod = renderChart().objects.find((object) => object.source === 'nest-chassis/templates/tests/test-ready.yaml')!;
    expect(pod.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'test' });
    expect(JSON.stringify(pod.spec)).toContain(
      `http://release-nest-chassis:${(chartValues().service as { port: number }).port}/health/ready`,
    );
  });

  it('values.schema.json is valid JSON and values.yaml is commented', () => {
    expect(() => parse(read('charts/nest-chassis/values.schema.json'))).not.toThrow();
    const comments = read('charts/nest-chassis/values.yaml')
      .split('\n')
      .filter((line) => line.trim().startsWith('#')).length;
    expect(comments).toBeGreaterThan(60);
  });
});
