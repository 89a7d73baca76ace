import type { ServerSentEvent } from '../server-sent-event';
import { shareServerSentEvent } from '../shared-server-sent-event';
import type { TopicWindow } from './replay-plan';
import { compareStreamIds, nextStreamId } from './stream-id';

/** An event in the window: its id is set, and when it was published (epoch milliseconds). */
interface WindowEntry {
  readonly event: ServerSentEvent & { id: string };
  readonly publishedAtMs: number;
}

/** The in-process hub's window bounds. */
export interface ReplayBounds {
  /** Events older than this many seconds leave the window. */
  readonly windowSeconds: number;
  /** At most this many events are kept; the oldest leave first. */
  readonly maxEvents: number;
}

/**
 * One topic's replay window in memory: the events of the last
 * `windowSeconds`, at most `maxEvents`, oldest first, with the ids
 * {@link nextStreamId} mints. Trimming happens on every append and read,
 * so the window is exact (Redis trims in whole nodes, see RedisEventHub).
 */
export class ReplayBuffer {
  private readonly entries: WindowEntry[] = [];
  private newestId: string | undefined;
  private trimmed = false;

  constructor(private readonly bounds: ReplayBounds) {}

  /** Appends `event` with a new id (returned, shared: formatted once for every subscriber) and trims. */
  append(event: Omit<ServerSentEvent, 'id'>, nowMs: number): ServerSentEvent & { id: string } {
    const id = nextStreamId(this.newestId, nowMs);
    this.newestId = id;
    const stored = shareServerSentEvent({ ...event, id });
    this.entries.push({ event: stored, publishedAtMs: nowMs });
    this.trim(nowMs);
    return stored;
  }

  /** The window's state for {@link planReplay}, after trimming to `nowMs`. */
  window(nowMs: number): TopicWindow {
    this.trim(nowMs);
    return { known: this.newestId !== undefined, oldestId: this.entries[0]?.event.id, newestId: this.newestId, trimmed: this.trimmed };
  }

  /** The events in the window newer than `id`, oldest first. */
  after(id: string, nowMs: number): (ServerSentEvent & { id: string })[] {
    this.trim(nowMs);
    return this.entries.filter((entry) => compareStreamIds(entry.event.id, id) > 0).map((entry) => entry.event);
  }

  /** The newest id ever given, even if it has left the window. */
  get lastId(): string | undefined {
    return this.newestId;
  }

  /** True when the window holds no event (after trimming to `nowMs`). */
  isEmpty(nowMs: number): boolean {
    this.trim(nowMs);
    return this.entries.length === 0;
  }

  private trim(nowMs: number): void {
    const oldestKept = nowMs - this.bounds.windowSeconds * 1000;
    let drop = Math.max(0, this.entries.length - this.bounds.maxEvents);
    while (drop < this.entries.length && this.entries[drop].publishedAtMs < oldestKept) drop++;
    if (drop === 0) return;
    this.entries.splice(0, drop);
    this.trimmed = true;
  }
}
