import { FixedWindowMemoryStorage } from './fixed-window-memory.storage';

describe('FixedWindowMemoryStorage', () => {
  let storage: FixedWindowMemoryStorage;
  beforeEach(() => {
    storage = new FixedWindowMemoryStorage();
  });
  afterEach(() => storage.onApplicationShutdown());

  it('counts hits in a window and blocks over the limit until the window ends', () => {
    const t0 = 1_000_000;
    expect(storage.hit('k', 60_000, 2, 0, t0)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(storage.hit('k', 60_000, 2, 0, t0 + 10_000)).toMatchObject({ totalHits: 2, isBlocked: false, timeToExpire: 50 });
    expect(storage.hit('k', 60_000, 2, 0, t0 + 20_000)).toEqual({ totalHits: 3, timeToExpire: 40, isBlocked: true, timeToBlockExpire: 40 });
    expect(storage.hit('k', 60_000, 2, 0, t0 + 60_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps keys apart', () => {
    storage.hit('a', 1000, 1, 0, 0);
    expect(storage.hit('a', 1000, 1, 0, 1).isBlocked).toBe(true);
    expect(storage.hit('b', 1000, 1, 0, 1).isBlocked).toBe(false);
  });

  it('extends the window by a longer block duration on the hit that crosses the limit', () => {
    storage.hit('k', 10_000, 1, 60_000, 0);
    expect(storage.hit('k', 10_000, 1, 60_000, 5_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(storage.hit('k', 10_000, 1, 60_000, 30_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 35 });
    expect(storage.hit('k', 10_000, 1, 60_000, 65_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('costs the same whatever the hit count (one counter, no per-hit state)', () => {
    for (let i = 0; i < 10_000; i++) storage.hit('busy', 60_000, 100, 0, i);
    expect(storage.hit('busy', 60_000, 100, 0, 10_000).totalHits).toBe(10_001);
    expect(storage.size).toBe(1);
  });

  it('sweeps ended windows', () => {
    storage.hit('old', 1000, 5, 0, 0);
    storage.hit('new', 10_000, 5, 0, 0);
    storage.sweep(5_000);
    expect(storage.size).toBe(1);
  });

  it('implements the throttler storage contract (ms in, seconds out)', async () => {
    await expect(storage.increment('x', 2_500, 10, 0)).resolves.toMatchObject({ totalHits: 1, timeToExpire: 3, isBlocked: false });
  });
});
