/**
 * Groups writes of single keys into one write of many: a key added while no
 * write is going is written in the next turn of the event loop with all the
 * keys added in that turn; keys added while a write is going are written
 * together right after it. Each caller waits for the write that holds its key.
 */
export class CoalescedWrites {
  private waiting: { key: string; settle: (error?: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

  /** @param write writes these keys (at most `maxKeys` per call); a rejection fails every caller of that write. */
  constructor(
    private readonly write: (keys: string[]) => Promise<void>,
    private readonly maxKeys: number,
  ) {}

  /** Resolves once `key` is written; rejects with the write's error. */
  add(key: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ key, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) this.writing = new Promise<void>((started) => setImmediate(started)).then(() => this.drain());
    });
  }

  /** Resolves once the keys added so far are written (or their write failed). */
  async flushed(): Promise<void> {
    await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxKeys);
      const error = await this.write(batch.map((entry) => entry.key)).then(
        () => undefined,
        (failure: unknown) => failure ?? new Error('write failed'),
      );
      for (const entry of batch) entry.settle(error);
    }
    this.writing = undefined;
  }
}
