import type { ServerSentEvent } from '../../../src/core/streaming/server-sent-event';

/** Reads from `iterator` until `count` events arrived or `timeoutMs` passed; returns what arrived. */
export async function take(iterator: AsyncIterator<ServerSentEvent>, count: number, timeoutMs = 5000): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout' || next.done) break;
    events.push(next.value);
  }
  return events;
}

/** Whether `iterator` ends (returns done) within `timeoutMs`, draining any events still queued. */
export async function ends(iterator: AsyncIterator<ServerSentEvent>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadline - Date.now()))),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout') return false;
    if (next.done) return true;
  }
  return false;
}
