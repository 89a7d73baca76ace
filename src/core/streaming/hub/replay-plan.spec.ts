import { planReplay } from './replay-plan';

describe('planReplay', () => {
  const kept = { known: true, oldestId: '100-0', newestId: '200-0', trimmed: true };

  it('has nothing to replay without Last-Event-ID', () => {
    expect(planReplay(undefined, kept)).toBe('live');
    expect(planReplay(undefined, { known: false, trimmed: false })).toBe('live');
  });

  it('replays when every event after the id is still in the window', () => {
    expect(planReplay('100-0', kept)).toBe('replay');
    expect(planReplay('150-7', kept)).toBe('replay');
    expect(planReplay('200-0', kept)).toBe('replay');
    // Nothing ever left the window: even the oldest id's successors are all there.
    expect(planReplay('1-0', { ...kept, trimmed: false })).toBe('replay');
  });

  it('resets when events after the id may have left the window', () => {
    expect(planReplay('99-9', kept)).toBe('reset');
    // An empty window after trimming: only a client at the newest id missed nothing.
    const emptied = { known: true, newestId: '200-0', trimmed: true };
    expect(planReplay('199-0', emptied)).toBe('reset');
    expect(planReplay('200-0', emptied)).toBe('replay');
  });

  it('resets for a topic with no trace (expired, or the process restarted) and for a malformed id', () => {
    expect(planReplay('150-0', { known: false, trimmed: false })).toBe('reset');
    expect(planReplay('not-an-id', kept)).toBe('reset');
    expect(planReplay('', kept)).toBe('reset');
  });
});
