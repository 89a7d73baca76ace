import { TimeoutError, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('settles with the work when it finishes first', async () => {
    await expect(withTimeout(Promise.resolve('value'), 1000)).resolves.toBe('value');
    await expect(withTimeout(Promise.reject(new Error('store failed')), 1000)).rejects.toThrow('store failed');
  });

  it('rejects with TimeoutError when the work never settles', async () => {
    jest.useFakeTimers();
    const bounded = withTimeout(new Promise<never>(() => undefined), 100);
    jest.advanceTimersByTime(100);
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
    await expect(bounded).rejects.toThrow('timed out after 100 ms');
  });

  it("rejects with the caller's error when it names one", async () => {
    jest.useFakeTimers();
    const bounded = withTimeout(new Promise<never>(() => undefined), 100, () => new Error('Redis did not answer within 100 ms'));
    jest.advanceTimersByTime(100);
    await expect(bounded).rejects.toThrow('Redis did not answer within 100 ms');
  });

  it('does not leave an unhandled rejection when the work fails after the timeout', async () => {
    let fail!: (error: Error) => void;
    const work = new Promise<never>((_resolve, reject) => (fail = reject));
    const bounded = withTimeout(work, 5);
    await expect(bounded).rejects.toBeInstanceOf(TimeoutError);
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    fail(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
