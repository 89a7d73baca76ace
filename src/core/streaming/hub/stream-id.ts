/**
 * Event ids of the hub: Redis stream ids, `<milliseconds>-<sequence>`
 * (both decimal, up to 64 bits), ordered by time then sequence. The
 * in-process hub mints ids of the same shape, so clients and tests see one
 * format whichever backend serves them.
 */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
const MAX_U64 = (1n << 64n) - 1n;

/** Parses `<ms>-<seq>`; `undefined` for anything else (a client's `Last-Event-ID` is untrusted input). */
export function parseStreamId(value: string): StreamId | undefined {
  const match = STREAM_ID.exec(value);
  if (!match) return undefined;
  const ms = BigInt(match[1]);
  const seq = BigInt(match[2]);
  return ms > MAX_U64 || seq > MAX_U64 ? undefined : { ms, seq };
}

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. Both must be valid ids. */
export function compareStreamIds(a: string, b: string): number {
  const left = parseStreamId(a);
  const right = parseStreamId(b);
  if (!left || !right) throw new TypeError(`not a stream id: ${left ? b : a}`);
  if (left.ms !== right.ms) return left.ms < right.ms ? -1 : 1;
  if (left.seq !== right.seq) return left.seq < right.seq ? -1 : 1;
  return 0;
}

/**
 * The id after `previous` at time `nowMs`, as Redis's `XADD *` mints it: the
 * current millisecond with sequence 0, or the previous millisecond's next
 * sequence when the clock has not moved on (or went back).
 */
export function nextStreamId(previous: string | undefined, nowMs: number): string {
  const last = previous === undefined ? undefined : parseStreamId(previous);
  const now = BigInt(Math.max(0, Math.floor(nowMs)));
  if (!last || now > last.ms) return `${now}-0`;
  return `${last.ms}-${last.seq + 1n}`;
}
