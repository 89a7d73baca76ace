import { ConfigValidationError } from '../../config/config.error';
import { loadConfig } from '../../settings/load-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('jobs dashboard settings', () => {
  it('is off by default, at /admin/queues', () => {
    expect(loadConfig({}).jobsDashboard).toEqual({ enabled: false, path: '/admin/queues' });
  });

  it('reads both variables', () => {
    expect(loadConfig({ JOBS_DASHBOARD_ENABLED: 'true', JOBS_DASHBOARD_PATH: '/ops/jobs' }).jobsDashboard).toEqual({
      enabled: true,
      path: '/ops/jobs',
    });
  });

  it.each(['admin/queues', '/admin/queues/', '/', '/admin//queues', '/admin/queues?x=1'])('refuses the path %s', (path) => {
    expect(problemsOf({ JOBS_DASHBOARD_PATH: path }).join('\n')).toMatch(/JOBS_DASHBOARD_PATH/);
  });
});
