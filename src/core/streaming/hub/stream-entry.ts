import type { ServerSentEvent } from '../server-sent-event';

/** An entry as ioredis returns it from XRANGE/XREAD: `[id, [field, value, field, value…]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/**
 * The fields of an event's Redis stream entry: `d` its data as JSON (so a
 * string stays a string), `e` its type and `r` its retry delay when set.
 */
export function toStreamFields(event: Omit<ServerSentEvent, 'id'>): string[] {
  const fields = ['d', JSON.stringify(event.data ?? null)];
  if (event.event !== undefined) fields.push('e', event.event);
  if (event.retry !== undefined) fields.push('r', String(event.retry));
  return fields;
}

/** The event an entry holds, with the entry's id; `undefined` for an entry the hub did not write. */
export function fromStreamEntry([id, fields]: RawStreamEntry): (ServerSentEvent & { id: string }) | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i], fields[i + 1]);
  const data = values.get('d');
  if (data === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const event: ServerSentEvent & { id: string } = { id, data: parsed };
  const type = values.get('e');
  if (type !== undefined) event.event = type;
  const retry = Number(values.get('r'));
  if (values.has('r') && Number.isInteger(retry)) event.retry = retry;
  return event;
}
