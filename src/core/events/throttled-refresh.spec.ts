import { ThrottledRefresh } from './throttled-refresh';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ThrottledRefresh', () => {
  it('runs at once, then at most once per interval, with one trailing run after asks inside it', async () => {
    const runs: number[] = [];
    const refresh = new ThrottledRefresh(
      100,
      async () => void runs.push(Date.now()),
      () => undefined,
    );
    await refresh.ask();
    expect(runs).toHaveLength(1);
    for (let i = 0; i < 10; i += 1) await refresh.ask();
    expect(runs).toHaveLength(1);
    await sleep(160);
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(95);
    await sleep(160);
    expect(runs).toHaveLength(2);
    await refresh.close();
  });

  it('passes failures to onError, and runs nothing after close', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const refresh = new ThrottledRefresh(
      50,
      async () => {
        calls += 1;
        throw new Error('boom');
      },
      (error) => errors.push(error),
    );
    await refresh.ask();
    await refresh.ask();
    await refresh.close();
    await sleep(100);
    await refresh.ask();
    expect(calls).toBe(1);
    expect(errors).toEqual([new Error('boom')]);
  });
});
