import { filesUnder, parseYaml, read } from './deploy-files';

interface Step {
  uses?: string;
  run?: string;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps?: Step[]; services?: object; 'timeout-minutes'?: number }>;
}

const workflows = filesUnder('.github/workflows').map((path) => ({ path, workflow: parseYaml<Workflow>(path) }));

describe('GitHub workflows', () => {
  it('exist for tests, the image, the chart and the SBOM', () => {
    expect(workflows.map((w) => w.path)).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/image.yml',
        '.github/workflows/chart.yml',
        '.github/workflows/sbom.yml',
      ]),
    );
  });

  it.each(workflows)('$path: every action is pinned by a full commit SHA with its version in a comment', ({ path, workflow }) => {
    const text = read(path);
    const uses = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.uses).filter(Boolean) as string[]);
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((ref) => !/^[a-z0-9-]+\/[a-z0-9._/-]+@[0-9a-f]{40}$/.test(ref))).toEqual([]);
    for (const ref of uses) expect(text).toMatch(new RegExp(`uses: ${ref.replace(/[/.]/g, '\\$&')} # v\\d+\\.\\d+\\.\\d+`));
  });

  it.each(workflows)('$path: least privilege (read-only by default, writes only per job)', ({ workflow }) => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(workflow.jobs)) {
      const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level === 'write');
      expect(writes.map(([scope]) => scope).every((scope) => ['packages', 'contents'].includes(scope))).toBe(true);
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  it.each(workflows)('$path: checkout does not persist the token', ({ workflow }) => {
    const checkouts = Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).filter((step) => step.uses?.startsWith('actions/checkout@')),
    ) as (Step & { with?: Record<string, unknown> })[];
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
  });

  it('the CI runs lint, typecheck, the test suites with PostgreSQL and Redis, the browser test, and npm audit at high', () => {
    const ci = workflows.find((w) => w.path.endsWith('ci.yml'))!.workflow;
    const runs = Object.values(ci.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    for (const command of [
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run test:integration',
      'npm run test:browser',
      'npm audit --audit-level=high',
    ]) {
      expect(runs).toContain(command);
    }
    expect(Object.keys(ci.jobs.test.services ?? {}).sort()).toEqual(['postgres', 'redis']);
  });

  it('the image workflow smoke-tests, scans and makes an SBOM; the chart workflow lints, validates, installs on kind and runs helm test', () => {
    const steps = (name: string) =>
      Object.values(workflows.find((w) => w.path.endsWith(name))!.workflow.jobs)
        .flatMap((job) => job.steps ?? [])
        .map((step) => `${step.uses ?? ''} ${step.run ?? ''}`)
        .join('\n');
    expect(steps('image.yml')).toMatch(/scripts\/image-smoke-test\.sh/);
    expect(steps('image.yml')).toMatch(/aquasecurity\/trivy-action@/);
    expect(steps('image.yml')).toMatch(/anchore\/sbom-action@/);
    expect(steps('image.yml')).toMatch(/refresh-base-digest\.sh --check/);
    expect(steps('chart.yml')).toMatch(/scripts\/check-chart\.sh/);
    expect(read('scripts/check-chart.sh')).toMatch(/lint --strict/);
    expect(read('scripts/check-chart.sh')).toMatch(/template .* \| node scripts\/validate-k8s\.mjs/);
    expect(steps('chart.yml')).toMatch(/kubeconform"? -strict/);
    expect(steps('chart.yml')).toMatch(/helm\/kind-action@/);
    expect(steps('chart.yml')).toMatch(/helm test chassis/);
  });

  it('.ci/run runs the scripts the workflows run: the chart checks and the image smoke test', () => {
    const ciRun = read('.ci/run');
    expect(ciRun).toMatch(/^scripts\/check-chart\.sh$/m);
    expect(ciRun).toMatch(/^timeout \d+ scripts\/image-smoke-test\.sh /m);
    expect(ciRun).toMatch(/^timeout \d+ scripts\/image-build\.sh /m);
  });

  it('Dependabot groups the Nest, cache-manager/Keyv and OpenTelemetry packages', () => {
    const config = parseYaml<{ updates: { 'package-ecosystem': string; groups?: Record<string, { patterns: string[] }> }[] }>(
      '.github/dependabot.yml',
    );
    const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm')!;
    expect(npm.groups!.nestjs.patterns).toContain('@nestjs/*');
    expect(npm.groups!.cache.patterns).toEqual(expect.arrayContaining(['cache-manager', 'keyv', '@keyv/*']));
    expect(npm.groups!.opentelemetry.patterns).toContain('@opentelemetry/*');
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['docker', 'github-actions', 'npm']);
  });
});
