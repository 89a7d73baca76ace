import { randomUUID } from 'node:crypto';
import { claimResultOf, type ClaimResult, type IdempotencyStore, type StoredRecord, type StoredResponse } from './idempotency.store';

/**
 * Idempotency records in this process's memory: the zero-infrastructure
 * default. Correct for one replica only (each replica would have its own);
 * with several, set `REDIS_URL`.
 *
 * At most `maxEntries` records are kept; beyond that the oldest are dropped
 * first (a retry of a dropped key runs again), so memory stays bounded.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, { record: StoredRecord; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult> {
    const found = this.live(key);
    if (found) return Promise.resolve(claimResultOf(found));
    const token = randomUUID();
    this.put(key, { state: 'in-flight', fingerprint, token }, leaseMs);
    return Promise.resolve({ state: 'claimed', token });
  }

  complete(key: string, token: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    if (this.holds(key, token)) this.put(key, { state: 'completed', fingerprint, response }, ttlMs);
    return Promise.resolve();
  }

  release(key: string, token: string): Promise<void> {
    if (this.holds(key, token)) this.records.delete(key);
    return Promise.resolve();
  }

  private holds(key: string, token: string): boolean {
    const found = this.live(key);
    return found?.state === 'in-flight' && found.token === token;
  }

  private live(key: string): StoredRecord | undefined {
    const entry = this.records.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > Date.now()) return entry.record;
    this.records.delete(key);
    return undefined;
  }

  private put(key: string, record: StoredRecord, ttlMs: number): void {
    this.records.delete(key); // re-inserted last: Map order is the eviction order
    this.records.set(key, { record, expiresAt: Date.now() + ttlMs });
    while (this.records.size > this.maxEntries) this.records.delete(this.records.keys().next().value as string);
  }
}
