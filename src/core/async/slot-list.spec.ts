import { SlotList } from './slot-list';

describe('SlotList', () => {
  it('holds values until they are removed and reuses the freed slots', () => {
    const list = new SlotList<{ name: string }>();
    const a = { name: 'a' };
    const b = { name: 'b' };
    const c = { name: 'c' };
    const slotA = list.add(a);
    const slotB = list.add(b);
    expect(list.size).toBe(2);

    list.remove(slotA, a);
    expect(list.size).toBe(1);
    expect(list.entries()).toEqual([[slotB, b]]);

    const slotC = list.add(c);
    expect(slotC).toBe(slotA);
    expect(list.entries()).toEqual([
      [slotC, c],
      [slotB, b],
    ]);
  });

  it('ignores a second removal of a value whose slot another value holds since', () => {
    const list = new SlotList<{ name: string }>();
    const first = { name: 'first' };
    const slot = list.add(first);
    list.remove(slot, first);
    const second = { name: 'second' };
    expect(list.add(second)).toBe(slot);

    list.remove(slot, first);

    expect(list.size).toBe(1);
    expect(list.entries()).toEqual([[slot, second]]);
  });

  it('lets a caller remove values while it goes through what entries() returned', () => {
    const list = new SlotList<number>();
    for (const value of [1, 2, 3]) list.add(value);
    for (const [slot, value] of list.entries()) list.remove(slot, value);
    expect(list.size).toBe(0);
    expect(list.entries()).toEqual([]);
  });
});
