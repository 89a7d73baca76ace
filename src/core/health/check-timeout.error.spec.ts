import { withTimeout } from '../async/with-timeout';
import { CheckTimeoutError } from './check-timeout.error';

/** As `runCheck` bounds a check: seconds, as the setting is written. */
const withCheckTimeout = <T>(work: Promise<T>, seconds: number) => withTimeout(work, seconds * 1000, () => new CheckTimeoutError(seconds));

describe('a readiness check bounded by withTimeout', () => {
  it('settles like the work when it finishes in time', async () => {
    await expect(withCheckTimeout(Promise.resolve('done'), 1)).resolves.toBe('done');
    await expect(withCheckTimeout(Promise.reject(new Error('refused')), 1)).rejects.toThrow('refused');
  });

  it('rejects with CheckTimeoutError when the work does not settle', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withCheckTimeout(never, 0.01)).rejects.toEqual(new CheckTimeoutError(0.01));
  });
});
