import Ajv, { type ValidateFunction } from 'ajv';
import { chartValues, parseYaml, read } from './deploy-files';

/**
 * values.schema.json is what Helm checks before rendering (`helm install`,
 * `helm upgrade`, `helm template`, `helm lint`): the defaults must pass, and
 * the mistakes that matter must fail.
 */
function validator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile(JSON.parse(read('charts/nest-chassis/values.schema.json')) as object);
}

/** values.yaml with `change` applied at a dotted path (deep copy). */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const values = structuredClone(chartValues());
  const keys = path.split('.');
  let node: Record<string, unknown> = values;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return values;
}

describe('values.schema.json', () => {
  const validate = validator();

  it.each(['charts/nest-chassis/values.yaml', 'charts/nest-chassis/ci/kind-values.yaml'])('accepts %s', (path) => {
    const values =
      path.endsWith('values.yaml') && !path.includes('/ci/') ? chartValues() : { ...chartValues(), ...parseYaml<object>(path) };
    expect(validate(values) ? [] : validate.errors).toEqual([]);
  });

  it.each([
    'charts/nest-chassis/ci/full-values.yaml',
    'charts/nest-chassis/ci/sqlite-values.yaml',
    'charts/nest-chassis/ci/worker-values.yaml',
  ])('accepts the CI values %s merged over the defaults', (path) => {
    const overrides = parseYaml<Record<string, unknown>>(path);
    const values = { ...chartValues(), ...overrides };
    expect(validate(values) ? [] : validate.errors).toEqual([]);
  });

  it.each([
    ['TRUST_PROXY true (spoofable)', 'trustProxy', 'true'],
    ['TRUST_PROXY boolean true', 'trustProxy', true],
    ['TRUST_PROXY as a hop count', 'trustProxy', '1'],
    ['TRUST_PROXY as a number', 'trustProxy', 2],
    ['a writable root filesystem', 'securityContext.readOnlyRootFilesystem', false],
    ['privilege escalation', 'securityContext.allowPrivilegeEscalation', true],
    ['running as root allowed', 'podSecurityContext.runAsNonRoot', false],
    ['added capabilities', 'securityContext.capabilities.add', ['NET_ADMIN']],
    ['capabilities not dropped', 'securityContext.capabilities.drop', []],
    ['no replicas', 'replicaCount', 0],
    ['a replica count as a string', 'replicaCount', '2'],
    ['a privileged container port', 'containerPort', 80],
    ['a truncated digest', 'image.digest', 'sha256:abc'],
    ['an unknown pull policy', 'image.pullPolicy', 'Sometimes'],
    ['an empty repository', 'image.repository', ''],
    ['a chart-managed variable in config', 'config.PORT', '8080'],
    ['NODE_ENV overridden', 'config.NODE_ENV', 'development'],
    ['a secret in the ConfigMap', 'config.AUTH_JWT_SECRET', 'x'.repeat(40)],
    ['a database URL in the ConfigMap', 'config.DATABASE_URL', 'postgres://app:pw@db/app'],
    ['a config value that is not a string', 'config.RATE_LIMIT_LIMIT', 100],
    ['a lowercase variable name', 'config.log_level', 'info'],
    ['a negative shutdown delay', 'shutdown.delaySeconds', -1],
    ['a fractional grace period', 'shutdown.terminationGracePeriodSeconds', 30.5],
    ['a probe without timeout', 'probes.readiness.timeoutSeconds', undefined],
    ['a probe success threshold above 1 for liveness', 'probes.liveness.successThreshold', 2],
    ['no memory limit', 'resources.limits.memory', undefined],
    ['a bad quantity', 'resources.requests.memory', 'lots'],
    ['an unknown top-level key (typo)', 'replicas', 3],
    ['an unknown key in a block (typo)', 'ingress.enable', true],
    ['a relative ingress path', 'ingress.hosts', [{ host: 'api.local', paths: [{ path: 'api', pathType: 'Prefix' }] }]],
    ['a metrics path without a slash', 'metrics.path', 'metrics'],
    ['a bad ServiceMonitor interval', 'metrics.serviceMonitor.interval', 'often'],
    ['PROCESS_ROLE in config (set per Deployment by the chart)', 'config.PROCESS_ROLE', 'worker'],
    ['PROCESS_ROLE in the Secret', 'secret.values.PROCESS_ROLE', 'api'],
    ['worker.enabled as a string', 'worker.enabled', 'true'],
    ['no worker replicas', 'worker.replicaCount', 0],
    ['a worker without a memory limit', 'worker.resources.limits.memory', undefined],
    ['an unknown key in the worker block (typo)', 'worker.replicas', 3],
    ['a worker HPA target above 100 %', 'worker.autoscaling.targetCPUUtilizationPercentage', 150],
  ])('refuses %s', (_name, path, value) => {
    expect(validate(withValue(path, value))).toBe(false);
  });

  it('refuses SQLite persistence with more than one replica (one writer)', () => {
    const values = withValue('persistence.enabled', true);
    expect(validate(values)).toBe(false);
    expect(validate({ ...values, replicaCount: 1 })).toBe(true);
  });

  it('accepts TRUST_PROXY as a CIDR list', () => {
    for (const trustProxy of ['', 'uniquelocal', '10.0.0.0/8', '10.0.0.0/8, 192.168.0.0/16', 'loopback,10.1.2.3', 'fd00::/8']) {
      expect(validate(withValue('trustProxy', trustProxy)) ? trustProxy : validate.errors).toBe(trustProxy);
    }
  });
});
