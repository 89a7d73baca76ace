/**
 * One Server-Sent Event, as a feature yields it and as the chassis writes it
 * (`text/event-stream`, WHATWG HTML Living Standard §9.2 "Server-sent events").
 *
 * Each field maps to one line of the wire format: `id:`, `event:`, `data:`
 * (one line per line of the serialised data) and `retry:`.
 */
export interface ServerSentEvent {
  /** The event id a reconnecting client sends back as `Last-Event-ID`. No newlines. */
  id?: string;
  /** The event type (`event:` field); the browser's default is `message`. No newlines. */
  event?: string;
  /** The payload: a string is written as is, anything else as JSON. */
  data: unknown;
  /** Reconnection delay the client should use, in milliseconds (`retry:` field). */
  retry?: number;
}
