/** Metadata key of `@Idempotent()`: its {@link IdempotentOptions}. */
export const IDEMPOTENT_ROUTE = 'chassis:idempotent-route';

/** The {@link IdempotencyStore} of the process: Redis with `REDIS_URL`, in memory otherwise. */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** Options of `@Idempotent()`. */
export interface IdempotentOptions {
  /** Refuse a request without an `Idempotency-Key` header (400 problem). Default: false (the header is optional). */
  required?: boolean;
}
