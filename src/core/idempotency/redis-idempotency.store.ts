import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { withTimeout } from '../async/with-timeout';
import type { DependencyBreaker } from '../circuit-breaker/dependency-breaker';
import { claimResultOf, type ClaimResult, type IdempotencyStore, type StoredRecord, type StoredResponse } from './idempotency.store';

/** Returns the record under KEYS[1], or sets the claim (ARGV[1], for ARGV[2] ms) and returns nil: one round trip, atomic. */
const CLAIM = `
local found = redis.call('GET', KEYS[1])
if found then return found end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Replaces the record (ARGV[2], for ARGV[3] ms; or deletes it when ARGV[2] is empty) only while the claim with token ARGV[1] holds it. */
const IF_HELD = `
local found = redis.call('GET', KEYS[1])
if not found then return 0 end
local record = cjson.decode(found)
if record.state ~= 'in-flight' or record.token ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

/**
 * Idempotency records in Redis (`REDIS_URL`), shared by every replica: a key
 * is claimed by one request across all of them. Each call is one round trip
 * (a Lua script, so the check and the write are atomic). Calls reject when
 * Redis is unreachable or slower than `timeoutMs`, or at once while the
 * Redis circuit is open (`breaker`); the interceptor applies
 * `IDEMPOTENCY_FAIL_MODE`.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: Redis,
    private readonly timeoutMs: number,
    private readonly breaker: DependencyBreaker,
  ) {}

  async claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult> {
    const token = randomUUID();
    const claim: StoredRecord = { state: 'in-flight', fingerprint, token };
    const found = await this.bounded(() => this.client.eval(CLAIM, 1, key, JSON.stringify(claim), String(leaseMs)));
    if (typeof found !== 'string') return { state: 'claimed', token };
    return claimResultOf(JSON.parse(found) as StoredRecord);
  }

  async complete(key: string, token: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const record: StoredRecord = { state: 'completed', fingerprint, response };
    await this.bounded(() => this.client.eval(IF_HELD, 1, key, token, JSON.stringify(record), String(ttlMs)));
  }

  async release(key: string, token: string): Promise<void> {
    await this.bounded(() => this.client.eval(IF_HELD, 1, key, token, '', '0'));
  }

  /** The call, or a rejection once `timeoutMs` has passed (a hung Redis must not hold the request), inside the Redis circuit. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return this.breaker.execute(() =>
      withTimeout(call(), this.timeoutMs, () => new Error(`Redis did not answer within ${this.timeoutMs} ms`)),
    );
  }
}
