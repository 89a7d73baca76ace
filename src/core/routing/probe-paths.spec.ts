import { isProbePath } from './probe-paths';

describe('isProbePath', () => {
  it('matches the probes and the metrics path, with or without a query', () => {
    for (const url of ['/health/live', '/health/ready?x=1', '/health/startup', '/metrics', '/metrics?name[]=up']) {
      expect(isProbePath(url, '/metrics')).toBe(true);
    }
  });

  it('does not match other paths, nor the default metrics path when METRICS_PATH differs', () => {
    for (const url of ['/items', '/healthy', '/metrics/extra']) expect(isProbePath(url, '/metrics')).toBe(false);
    expect(isProbePath('/metrics', '/internal/metrics')).toBe(false);
  });
});
