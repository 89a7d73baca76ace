import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';

/** The delays upstreams asked for with `Retry-After`, in milliseconds, by the error that carried it. */
export const RETRY_AFTER_MS = new WeakMap<object, number>();

/**
 * cockatiel back-off that waits what the upstream's `Retry-After` asked for
 * when its last answer had one (the retry predicate has already refused
 * delays above the cap), and the jittered exponential delay otherwise.
 */
export class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly jittered: IBackoffFactory<unknown>) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const next = this.jittered.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = typeof error === 'object' && error !== null ? RETRY_AFTER_MS.get(error) : undefined;
    const following = new RetryAfterBackoff(next);
    return { duration: asked ?? next.duration, next: (ctx) => following.next(ctx) };
  }
}
