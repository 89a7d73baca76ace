import { ProblemException } from '../../errors/problem.exception';

/** Problem type of {@link EventHubUnavailableError}. */
export const EVENT_HUB_UNAVAILABLE = 'tag:nest-chassis,2026:problems/event-hub-unavailable';

/**
 * The event hub's Redis is down, slow or behind an open circuit: a publish
 * was not delivered, or a subscription could not start (its replay could not
 * be read). Answered as a 503 problem with `Retry-After` when it reaches a
 * client before a stream has started.
 */
export class EventHubUnavailableError extends ProblemException {
  constructor(override readonly cause: unknown) {
    super({
      status: 503,
      type: EVENT_HUB_UNAVAILABLE,
      detail: 'Live events are unavailable right now; retry later.',
      headers: { 'Retry-After': '5' },
    });
    this.name = 'EventHubUnavailableError';
  }
}
