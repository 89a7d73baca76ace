import { createHash, randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { withTimeout } from '../async/with-timeout';
import type { DependencyBreaker } from '../circuit-breaker/dependency-breaker';

/**
 * Takes a lease when the caller holds fewer than the limit: expired leases go
 * first, then one is added, atomically (one script). Times are Redis's own
 * clock (`TIME`), so replicas whose clocks differ agree on what expired.
 * KEYS[1]: the caller's sorted set; ARGV: limit, lease in ms, lease id. Returns 1 (taken) or 0.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Extends the leases still held (`XX`: a lease that expired meanwhile is not brought back). KEYS[i] holds ARGV[i + 1]; ARGV[1]: lease in ms. */
const RENEW = `
local t = redis.call('TIME')
local expires = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', expires, ARGV[i + 1])
  redis.call('PEXPIRE', key, ARGV[1])
end
return #KEYS
`;

/** Leases live this many heartbeat intervals: renewed every interval, a replica that died frees its callers' places after this. */
export const LEASE_HEARTBEATS = 3;

/** One lease held in Redis for one open stream. */
interface Lease {
  key: string;
  id: string;
}

/**
 * The per-caller stream limit across replicas (`REDIS_URL` set): each open
 * stream holds a lease in a Redis sorted set per caller
 * (`<prefix><sha256 of the caller>`, scored by the lease's expiry). All leases
 * of this process are renewed together, in one script, once per heartbeat
 * interval; a lease lives {@link LEASE_HEARTBEATS} intervals, so the places
 * of a replica that died free up after that. Every call goes through the
 * Redis circuit breaker and is bounded in time: the caller (OpenEventStreams)
 * falls back to its own process's count when Redis fails.
 */
export class RedisStreamPlaces {
  private readonly held = new Set<Lease>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly breaker: DependencyBreaker,
    /** `keyPrefix` of the callers' sets; `leaseMs`: a lease's life, `timeoutMs`: the bound on one call, in milliseconds. */
    private readonly options: { keyPrefix: string; leaseMs: number; timeoutMs: number },
  ) {
    this.renewal = setInterval(() => void this.renew().catch(() => undefined), options.leaseMs / LEASE_HEARTBEATS).unref();
  }

  /**
   * Takes a place for one more stream of `caller`.
   * @returns its release (call once, when the stream is over), or `undefined` when the caller holds `limit` already.
   * @throws whatever Redis or the breaker throws (unreachable, slow, circuit open).
   */
  async reserve(caller: string, limit: number): Promise<(() => void) | undefined> {
    const lease = { key: this.options.keyPrefix + createHash('sha256').update(caller).digest('base64url'), id: randomUUID() };
    const taken = await this.guarded(() => this.redis.eval(RESERVE, 1, lease.key, limit, this.options.leaseMs, lease.id));
    if (taken !== 1) return undefined;
    this.held.add(lease);
    return () => {
      if (!this.held.delete(lease)) return;
      // Best effort: a lease that is not removed expires on its own.
      void this.guarded(() => this.redis.zrem(lease.key, lease.id)).catch(() => undefined);
    };
  }

  /** Stops renewing (shutdown); leases still held expire on their own. */
  close(): void {
    clearInterval(this.renewal);
  }

  private async renew(): Promise<void> {
    const leases = [...this.held];
    if (leases.length === 0) return;
    const keys = leases.map((lease) => lease.key);
    await this.guarded(() => this.redis.eval(RENEW, keys.length, ...keys, this.options.leaseMs, ...leases.map((lease) => lease.id)));
  }

  private guarded<T>(call: () => Promise<T>): Promise<T> {
    return this.breaker.execute(() => withTimeout(call(), this.options.timeoutMs));
  }
}
