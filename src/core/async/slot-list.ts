/**
 * Values that come and go at a high rate (one per request or per call), held
 * in the slots of an array: a value taken out leaves its slot for the next one.
 *
 * Why not a `Set` or a `Map`: V8's tables for them are replaced as entries come
 * and go, and under load a `Set` with one add and one delete per request made
 * V8 promote nearly every request's objects to the old generation, which
 * doubled the RSS after load (docs/performance.md, "RSS after load").
 */
export class SlotList<T> {
  private readonly slots: (T | undefined)[] = [];
  /** Indexes of the free slots, reused last-freed first. */
  private readonly free: number[] = [];
  private count = 0;

  /** How many values are held. */
  get size(): number {
    return this.count;
  }

  /** Holds `value`; returns its slot, for {@link remove}. */
  add(value: T): number {
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = value;
    this.count += 1;
    return slot;
  }

  /**
   * Lets go of `value`, held in `slot` (what {@link add} returned for it).
   * Does nothing when the slot no longer holds `value`: it was removed
   * already, and the slot may hold another value since.
   */
  remove(slot: number, value: T): void {
    if (this.slots[slot] !== value) return;
    this.slots[slot] = undefined;
    this.free.push(slot);
    this.count -= 1;
  }

  /** The values held now, in a new array (so the caller may remove while it goes through them), with their slots. */
  entries(): [slot: number, value: T][] {
    const held: [number, T][] = [];
    this.slots.forEach((value, slot) => {
      if (value !== undefined) held.push([slot, value]);
    });
    return held;
  }
}
