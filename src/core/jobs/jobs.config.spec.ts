import { ConfigValidationError } from '../config/config.error';
import { loadConfig } from '../settings/load-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('jobs settings', () => {
  it('defaults to every role, 5 attempts, 1 s back-off, 60 s timeout, 5 at once, completed jobs trimmed', () => {
    expect(loadConfig({ SERVICE_NAME: 'orders', NODE_ENV: 'test' }).jobs).toEqual({
      role: 'all',
      attempts: 5,
      backoffSeconds: 1,
      timeoutSeconds: 60,
      concurrency: 5,
      keepCompleted: 1000,
      lockDurationSeconds: 30,
      stalledIntervalSeconds: 30,
      addTimeoutSeconds: 1,
      keyPrefix: 'orders:test:jobs',
      critical: true,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PROCESS_ROLE: 'worker',
      JOBS_ATTEMPTS: '8',
      JOBS_BACKOFF_SECONDS: '0.5',
      JOBS_TIMEOUT_SECONDS: '120',
      JOBS_CONCURRENCY: '20',
      JOBS_KEEP_COMPLETED: '0',
      JOBS_LOCK_DURATION_SECONDS: '2.5',
      JOBS_STALLED_INTERVAL_SECONDS: '1',
      JOBS_ADD_TIMEOUT_SECONDS: '0.25',
      JOBS_KEY_PREFIX: 'svc:jobs',
      JOBS_CRITICAL: 'false',
    });
    expect(config.jobs).toEqual({
      role: 'worker',
      attempts: 8,
      backoffSeconds: 0.5,
      timeoutSeconds: 120,
      concurrency: 20,
      keepCompleted: 0,
      lockDurationSeconds: 2.5,
      stalledIntervalSeconds: 1,
      addTimeoutSeconds: 0.25,
      keyPrefix: 'svc:jobs',
      critical: false,
    });
  });

  it('refuses an unknown role and out-of-range numbers, naming each variable', () => {
    const problems = problemsOf({
      PROCESS_ROLE: 'both',
      JOBS_ATTEMPTS: '0',
      JOBS_CONCURRENCY: 'many',
      JOBS_TIMEOUT_SECONDS: '0',
      JOBS_STALLED_INTERVAL_SECONDS: '0',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^PROCESS_ROLE: /),
      expect.stringMatching(/^JOBS_ATTEMPTS: /),
      expect.stringMatching(/^JOBS_TIMEOUT_SECONDS: /),
      expect.stringMatching(/^JOBS_CONCURRENCY: /),
      expect.stringMatching(/^JOBS_STALLED_INTERVAL_SECONDS: /),
    ]);
  });
});
