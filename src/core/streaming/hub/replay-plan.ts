import { compareStreamIds, parseStreamId } from './stream-id';

/** What the hub knows of a topic's window when a client reconnects. */
export interface TopicWindow {
  /** False when the topic has no trace at all (never published, expired, or the in-process hub restarted). */
  readonly known: boolean;
  /** The oldest event still in the window; undefined when the window is empty. */
  readonly oldestId?: string;
  /** The newest id ever given in the topic (even if no longer in the window). */
  readonly newestId?: string;
  /** True when at least one event has left the window (trimmed by age or count). */
  readonly trimmed: boolean;
}

/** `replay`: send the events after `Last-Event-ID`; `reset`: some are gone, tell the client to reload; `live`: nothing to replay. */
export type ReplayPlan = 'live' | 'replay' | 'reset';

/**
 * Whether a client reconnecting with `lastEventId` can be given exactly the
 * events it missed. A reset is sent whenever events after `lastEventId` may
 * have left the window — the id is malformed, the topic has no trace, or it
 * is older than the oldest event still kept (older than the newest id when
 * the window is empty) — and never when they are all still there. It errs
 * towards a reset: a client at the exact boundary reloads once for nothing,
 * but never silently misses an event.
 */
export function planReplay(lastEventId: string | undefined, window: TopicWindow): ReplayPlan {
  if (lastEventId === undefined) return 'live';
  if (!parseStreamId(lastEventId) || !window.known) return 'reset';
  if (!window.trimmed) return 'replay';
  const boundary = window.oldestId ?? window.newestId;
  if (boundary === undefined || compareStreamIds(lastEventId, boundary) < 0) return 'reset';
  return 'replay';
}
