import { withTimeout } from '../async/with-timeout';
import { CacheTimeoutError } from './cache-timeout.error';

describe('CacheTimeoutError', () => {
  afterEach(() => jest.useRealTimers());

  it('is what a cache call bounded by withTimeout rejects with when the work never settles', async () => {
    jest.useFakeTimers();
    const bounded = withTimeout(new Promise<never>(() => undefined), 100, () => new CacheTimeoutError(100));
    jest.advanceTimersByTime(100);
    jest.runOnlyPendingTimers(); // the verdict waits for the check phase (setImmediate), after pending I/O
    await expect(bounded).rejects.toBeInstanceOf(CacheTimeoutError);
    await expect(bounded).rejects.toThrow('cache operation timed out after 100 ms');
  });
});
