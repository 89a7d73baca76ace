import { ReplayBuffer } from './replay-buffer';

describe('ReplayBuffer', () => {
  it('keeps at most maxEvents, dropping the oldest first', () => {
    const buffer = new ReplayBuffer({ windowSeconds: 60, maxEvents: 3 });
    const ids = [1, 2, 3, 4, 5].map((n) => buffer.append({ data: n }, 1000 + n).id);
    expect(buffer.after('0-0', 1010).map((event) => event.data)).toEqual([3, 4, 5]);
    expect(buffer.window(1010)).toEqual({ known: true, oldestId: ids[2], newestId: ids[4], trimmed: true });
  });

  it('drops events older than the window, and remembers the newest id when empty', () => {
    const buffer = new ReplayBuffer({ windowSeconds: 10, maxEvents: 100 });
    buffer.append({ data: 'old' }, 0);
    const recent = buffer.append({ data: 'recent' }, 5000);
    expect(buffer.after('0-0', 10_001).map((event) => event.data)).toEqual(['recent']);
    expect(buffer.isEmpty(15_001)).toBe(true);
    expect(buffer.window(15_001)).toEqual({ known: true, oldestId: undefined, newestId: recent.id, trimmed: true });
  });

  it('returns only the events after an id, oldest first, with ids, types and retry kept', () => {
    const buffer = new ReplayBuffer({ windowSeconds: 60, maxEvents: 10 });
    const first = buffer.append({ event: 'a', data: { n: 1 } }, 1000);
    buffer.append({ event: 'b', data: 'two', retry: 500 }, 1000);
    expect(buffer.after(first.id, 1000)).toEqual([{ id: '1000-1', event: 'b', data: 'two', retry: 500 }]);
    expect(buffer.window(1000).trimmed).toBe(false);
    expect(new ReplayBuffer({ windowSeconds: 1, maxEvents: 1 }).window(0)).toEqual({
      known: false,
      oldestId: undefined,
      newestId: undefined,
      trimmed: false,
    });
  });
});
