import { UnrecoverableError } from 'bullmq';
import type { QueueSettings } from '../queue-settings';
import { InProcessQueue } from './in-process-queue';

const settings = (overrides: Partial<QueueSettings> = {}): QueueSettings => ({
  name: 'unit',
  attempts: 3,
  backoffSeconds: 0.05,
  timeoutSeconds: 5,
  concurrency: 5,
  keepCompleted: 10,
  ...overrides,
});

const direct = <T>(fn: () => T): T => fn();

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition never held');
}

describe('InProcessQueue', () => {
  it('starts at most rateLimit.max jobs per window', async () => {
    const limited = settings({ rateLimit: { max: 2, durationSeconds: 0.4 } });
    const queue = new InProcessQueue(limited, direct);
    const starts: number[] = [];
    queue.work(limited, async () => {
      starts.push(Date.now());
    });
    for (let i = 0; i < 4; i++) queue.add({ payload: {} }, {}, limited);
    await until(() => starts.length === 4);
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(390);
    expect(starts[3]! - starts[1]!).toBeGreaterThanOrEqual(390);
    await queue.close();
  });

  it('runs no more than `concurrency` jobs at once', async () => {
    const two = settings({ concurrency: 2 });
    const queue = new InProcessQueue(two, direct);
    let running = 0;
    let most = 0;
    let done = 0;
    queue.work(two, async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
      done += 1;
    });
    for (let i = 0; i < 6; i++) queue.add({ payload: {} }, {}, two);
    await until(() => done === 6);
    expect(most).toBe(2);
    await queue.close();
  });

  it('fails an UnrecoverableError at once, without retry, and keeps one job per jobId', async () => {
    const queue = new InProcessQueue(settings(), direct);
    let calls = 0;
    queue.work(settings(), async () => {
      calls += 1;
      throw new UnrecoverableError('bad payload');
    });
    expect(queue.add({ payload: {} }, { jobId: 'same' }, settings())).toBe('same');
    expect(queue.add({ payload: {} }, { jobId: 'same' }, settings())).toBe('same');
    await until(() => queue.counts().failed === 1);
    expect(calls).toBe(1);
    expect(queue.failed(10)).toEqual([expect.objectContaining({ id: 'same', attemptsMade: 1, failedReason: 'bad payload' })]);
    await queue.close();
  });
});
