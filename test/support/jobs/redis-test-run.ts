import Redis from 'ioredis';
import { testRedisUrl } from '../redis-server';
import type { TestApp } from '../test-app';

/**
 * The shared frame of a suite of apps on the test Redis: the apps a test
 * boots (push them to `apps`) are closed after it, and every key under
 * `runId` is removed after the suite. Call it inside the `describe`.
 */
export function redisTestRun(runId: string): { apps: TestApp[]; raw: Redis } {
  const apps: TestApp[] = [];
  // Connects on its first command, so a suite that never reads Redis directly opens nothing.
  const raw = new Redis(testRedisUrl(), { lazyConnect: true });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    const keys = await raw.keys(`${runId}*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
  });
  return { apps, raw };
}
