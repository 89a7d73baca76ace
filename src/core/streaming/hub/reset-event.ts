import type { ServerSentEvent } from '../server-sent-event';
import { RESET_EVENT } from './event-hub';

/**
 * The event a subscription starts with when its replay would be incomplete.
 * It carries the topic's newest id when there is one, so the client's next
 * `Last-Event-ID` is current and it is not reset again.
 */
export function resetEvent(newestId: string | undefined): ServerSentEvent {
  return { ...(newestId === undefined ? {} : { id: newestId }), event: RESET_EVENT, data: { reason: 'replay-unavailable' } };
}
