import { Registry } from 'prom-client';
import { loadConfig } from '../settings/load-config';
import { ProblemException } from '../errors/problem.exception';
import { RateLimitMetrics } from './rate-limit.metrics';
import { RateLimitStorageFailures } from './rate-limit-storage.failures';

describe('RateLimitStorageFailures', () => {
  const setUp = (mode: 'open' | 'closed') => {
    const metrics = new RateLimitMetrics(new Registry());
    return { metrics, failures: new RateLimitStorageFailures(loadConfig({ RATE_LIMIT_FAIL_MODE: mode }), metrics) };
  };

  it('lets the request through in open mode and counts the failure', async () => {
    const { metrics, failures } = setUp('open');
    expect(failures.handle(new Error('down'), 0)).toBe(true);
    expect((await metrics.storageErrors.get()).values[0].value).toBe(1);
  });

  it('refuses with a 503 problem in closed mode, never a 500', () => {
    const { failures } = setUp('closed');
    try {
      failures.handle(new Error('down'), 0);
      throw new Error('expected a ProblemException');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    }
  });
});
