import { formatServerSentEvent } from './server-sent-event-format';
import type { ServerSentEvent } from './server-sent-event';

/** The wire form of each shared event, kept as long as the event itself. */
const wireForms = new WeakMap<ServerSentEvent, Buffer>();

/**
 * Marks an event that many streams will write (a hub's event, handed to every
 * subscriber of its topic): it is frozen and its wire form is built once, now,
 * so a fan-out to N streams formats and encodes it once instead of N times.
 * Its data is serialised at this moment: a later change to the data object
 * is not sent, as with the Redis hub, which serialises at publish.
 *
 * An event that cannot be written (see {@link formatServerSentEvent}) is
 * returned unmarked: each stream that gets it fails as it would without this.
 */
export function shareServerSentEvent<E extends ServerSentEvent>(event: E): E {
  let wire: Buffer;
  try {
    wire = Buffer.from(formatServerSentEvent(event));
  } catch {
    return event;
  }
  wireForms.set(Object.freeze(event), wire);
  return event;
}

/**
 * The bytes to write for `event`: its shared wire form when it has one,
 * otherwise formatted now.
 *
 * @throws InvalidServerSentEventError as {@link formatServerSentEvent}.
 */
export function wireFormOf(event: ServerSentEvent): Buffer {
  return wireForms.get(event) ?? Buffer.from(formatServerSentEvent(event));
}
