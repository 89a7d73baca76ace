import { CoalescedWrites } from './coalesced-writes';

describe('CoalescedWrites', () => {
  it('writes the keys of one turn together, and those added during a write in the next one', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writer = new CoalescedWrites(async (keys) => {
      writes.push(keys);
      if (writes.length === 1) await gate;
    }, 3);
    const first = [writer.add('a'), writer.add('b')];
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['c', 'd', 'e', 'f'].map((key) => writer.add(key));
    release();
    await Promise.all([...first, ...later]);
    expect(writes).toEqual([['a', 'b'], ['c', 'd', 'e'], ['f']]);
  });

  it('rejects every caller of a failed write, and only those', async () => {
    let fail = true;
    const writer = new CoalescedWrites(async () => {
      if (fail) throw new Error('write failed');
    }, 10);
    const failed = [writer.add('a'), writer.add('b')];
    await expect(Promise.all(failed)).rejects.toThrow('write failed');
    await expect(failed[1]).rejects.toThrow('write failed');
    fail = false;
    await expect(writer.add('c')).resolves.toBeUndefined();
  });
});
