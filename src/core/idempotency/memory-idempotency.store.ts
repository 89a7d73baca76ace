import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { claimResultOf, type ClaimResult, type IdempotencyStore, type StoredRecord, type StoredResponse } from './idempotency.store';

/**
 * Idempotency records in this process's memory: the zero-infrastructure
 * default. Correct for one replica only (each replica would have its own);
 * with several, set `REDIS_URL`.
 *
 * `lru-cache` keeps at most `maxEntries` records, least recently used dropped
 * first (a retry of a dropped key runs again), each with its own expiry.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records: LRUCache<string, StoredRecord>;

  constructor(maxEntries: number) {
    this.records = new LRUCache({ max: maxEntries });
  }

  claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult> {
    const found = this.records.get(key);
    if (found) return Promise.resolve(claimResultOf(found));
    const token = randomUUID();
    this.records.set(key, { state: 'in-flight', fingerprint, token }, { ttl: leaseMs });
    return Promise.resolve({ state: 'claimed', token });
  }

  complete(key: string, token: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    if (this.holds(key, token)) this.records.set(key, { state: 'completed', fingerprint, response }, { ttl: ttlMs });
    return Promise.resolve();
  }

  release(key: string, token: string): Promise<void> {
    if (this.holds(key, token)) this.records.delete(key);
    return Promise.resolve();
  }

  private holds(key: string, token: string): boolean {
    const found = this.records.get(key);
    return found?.state === 'in-flight' && found.token === token;
  }
}
