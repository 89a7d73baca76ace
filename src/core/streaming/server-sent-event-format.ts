import type { ServerSentEvent } from './server-sent-event';

/** A field value that would end its line early: CR, LF or NUL (WHATWG HTML §9.2.6 splits lines on CR and LF). */
const LINE_BREAK = /[\r\n\0]/;

/** Thrown for an event that cannot be written: an `id` or `event` with a line break, or a `retry` that is not a whole number of ms. */
export class InvalidServerSentEventError extends Error {
  constructor(detail: string) {
    super(`Invalid Server-Sent Event: ${detail}`);
    this.name = 'InvalidServerSentEventError';
  }
}

/**
 * The wire form of one event (WHATWG HTML §9.2.6): `id:`, `event:`, one
 * `data:` line per line of the data (a string as is, anything else as JSON),
 * `retry:`, then a blank line that dispatches it.
 *
 * @throws InvalidServerSentEventError when `id` or `event` holds a line break
 *   (it would forge fields), `id` holds NUL, or `retry` is not a non-negative integer.
 */
export function formatServerSentEvent(event: ServerSentEvent): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${singleLine('id', String(event.id))}\n`;
  if (event.event !== undefined) text += `event: ${singleLine('event', event.event)}\n`;
  if (event.retry !== undefined) {
    if (!Number.isInteger(event.retry) || event.retry < 0) throw new InvalidServerSentEventError('retry must be a non-negative integer');
    text += `retry: ${event.retry}\n`;
  }
  const data = typeof event.data === 'string' ? event.data : (JSON.stringify(event.data) ?? '');
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment line (ignored by clients, keeps proxies from closing an idle connection). */
export function formatComment(comment: string): string {
  return `: ${comment.replace(/[\r\n]+/g, ' ')}\n\n`;
}

function singleLine(field: string, value: string): string {
  if (LINE_BREAK.test(value)) throw new InvalidServerSentEventError(`${field} must not contain a line break or NUL`);
  return value;
}
