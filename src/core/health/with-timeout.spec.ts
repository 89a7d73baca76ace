import { CheckTimeoutError, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('settles like the work when it finishes in time', async () => {
    await expect(withTimeout(Promise.resolve('done'), 1)).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('refused')), 1)).rejects.toThrow('refused');
  });

  it('rejects with CheckTimeoutError when the work does not settle', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 0.01)).rejects.toEqual(new CheckTimeoutError(0.01));
  });
});
