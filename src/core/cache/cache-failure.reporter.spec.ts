import { Registry } from 'prom-client';
import { createCacheMetrics } from './cache.metrics';
import { FAILURE_WARNING_INTERVAL_MS } from '../errors/failure-warning';
import { CacheFailureReporter } from './cache-failure.reporter';

describe('CacheFailureReporter', () => {
  it('counts every failure by operation but warns at most once per interval', async () => {
    const registry = new Registry();
    const metrics = createCacheMetrics(registry);
    const warn = jest.fn();
    let now = 1_000_000;
    const reporter = new CacheFailureReporter(metrics, { warn }, () => now);

    reporter.report('get', new Error('connection refused'));
    reporter.report('get', new Error('connection refused'));
    reporter.report('set', new Error('timeout'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({
      msg: 'Cache unavailable; continuing without it',
      operation: 'get',
      error: 'connection refused',
      failuresSinceLastWarning: 0,
    });

    now += FAILURE_WARNING_INTERVAL_MS;
    reporter.report('del', 'odd failure');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith(expect.objectContaining({ operation: 'del', error: 'odd failure', failuresSinceLastWarning: 2 }));

    const errors = (await metrics.errors.get()).values.map((v) => [v.labels.operation, v.value]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['get', 2],
        ['set', 1],
        ['del', 1],
      ]),
    );
  });
});
