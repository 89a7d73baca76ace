import type Redis from 'ioredis';
import type { RateLimitStorage } from './rate-limit.storage';
import { windowRecord, type RateLimitRecord } from './rate-limit-record';
import { withTimeout } from '../async/with-timeout';
import type { DependencyBreaker } from '../circuit-breaker/dependency-breaker';

/**
 * One hit, atomically, in one round trip: INCR, the window's expiry on the
 * first hit (no INCR-then-EXPIRE race: a key can never be left without a
 * TTL), the block extension on the hit that crosses the limit, and the time
 * left. One key per bucket, so it works on Redis Cluster too.
 *
 * KEYS[1] counter; ARGV[1] window ms; ARGV[2] limit; ARGV[3] block ms.
 * Returns { hits, ms left }.
 */
export const RATE_LIMIT_HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits == tonumber(ARGV[2]) + 1 and tonumber(ARGV[3]) > ttl then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return { hits, ttl }
`;

/** The name the script is defined under on the shared client (ioredis `defineCommand`: EVALSHA, EVAL on NOSCRIPT). */
const COMMAND = 'chassisRateLimitHit';

type WithHitCommand = Redis & { [COMMAND](key: string, ttl: number, limit: number, block: number): Promise<[number, number]> };

/**
 * Fixed-window counters in Redis, shared by every replica; the same
 * semantics as {@link FixedWindowMemoryStorage}. Keys: `<prefix><bucket>:<tracker>`.
 *
 * Errors are not handled here: a failure (Redis down, or slower than
 * `timeoutMs`, or the Redis circuit open: `breaker`) rejects, and the guard
 * applies RATE_LIMIT_FAIL_MODE.
 */
export class RedisRateLimitStorage implements RateLimitStorage {
  private readonly client: WithHitCommand;

  constructor(
    client: Redis,
    private readonly keyPrefix: string,
    private readonly timeoutMs: number,
    private readonly breaker: DependencyBreaker,
  ) {
    if (typeof (client as unknown as Partial<WithHitCommand>)[COMMAND] !== 'function') {
      client.defineCommand(COMMAND, { numberOfKeys: 1, lua: RATE_LIMIT_HIT_SCRIPT });
    }
    this.client = client as unknown as WithHitCommand;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<RateLimitRecord> {
    // A hung Redis must not hang every request.
    const [hits, msLeft] = await this.breaker.execute(() =>
      withTimeout(
        this.client[COMMAND](this.keyPrefix + key, ttl, limit, blockDuration),
        this.timeoutMs,
        () => new Error(`rate-limit storage did not answer within ${this.timeoutMs} ms`),
      ),
    );
    return windowRecord(Number(hits), limit, Number(msLeft));
  }
}
