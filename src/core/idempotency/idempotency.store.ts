/** A response stored for replay: what the handler returned and the headers a retry must see again. */
export interface StoredResponse {
  /** HTTP status of the first response. */
  status: number;
  /** `Location`, `ETag`, `Content-Location`, `Last-Modified` as first sent (absent ones left out). */
  headers: Record<string, string>;
  /** The handler's return value as JSON text (parsed and serialized again on replay); absent without a body. */
  bodyJson?: string;
}

/** What claiming a key found. */
export type ClaimResult =
  | { state: 'claimed'; token: string }
  | { state: 'in-flight'; fingerprint: string }
  | { state: 'completed'; fingerprint: string; response: StoredResponse };

/**
 * Where idempotency records live. A key is claimed atomically (one request
 * of many concurrent ones wins), then completed with the response to replay
 * or released (errors are not replayed).
 *
 * Implementations: `MemoryIdempotencyStore` (one process, the
 * zero-infrastructure default) and `RedisIdempotencyStore` (shared by every
 * replica). Their methods reject when the store is unreachable.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a request with this fingerprint, or reports who holds it.
   * @param leaseMs how long a claim lives if never completed or released (a crashed replica), in milliseconds.
   */
  claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult>;
  /**
   * Stores the response under a claim this request holds (`token` from `claim`).
   * @param ttlMs how long the record is replayed, in milliseconds.
   */
  complete(key: string, token: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void>;
  /** Drops a claim this request holds, so that a retry runs the handler again. */
  release(key: string, token: string): Promise<void>;
}

/** A record as stored: a claim in flight (with its holder's token) or a completed response. */
export type StoredRecord =
  { state: 'in-flight'; fingerprint: string; token: string } | { state: 'completed'; fingerprint: string; response: StoredResponse };

/** What `claim` answers for a record found under the key. */
export function claimResultOf(record: StoredRecord): ClaimResult {
  return record.state === 'in-flight'
    ? { state: 'in-flight', fingerprint: record.fingerprint }
    : { state: 'completed', fingerprint: record.fingerprint, response: record.response };
}
