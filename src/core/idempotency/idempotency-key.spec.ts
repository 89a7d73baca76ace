import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey } from './idempotency-key';
import { MemoryIdempotencyStore } from './memory-idempotency.store';
import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('parseIdempotencyKey', () => {
  it('reads a structured-field string or a bare value as the same key', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8"')).toEqual({ kind: 'key', key: '8e03978e-40d5-43e8' });
    expect(parseIdempotencyKey('8e03978e-40d5-43e8')).toEqual({ kind: 'key', key: '8e03978e-40d5-43e8' });
    expect(parseIdempotencyKey('"with space, and comma"')).toEqual({ kind: 'key', key: 'with space, and comma' });
  });

  it('reports an absent header and refuses repeated, empty, long or non-ASCII values', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ kind: 'absent' });
    for (const header of [['a', 'b'], 'a, b', '""', 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1), '"é"', '"a\\"b"']) {
      expect(parseIdempotencyKey(header).kind).toBe('invalid');
    }
    expect(parseIdempotencyKey('x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)).kind).toBe('key');
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same members in another order, and differs for another value or target', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    const fingerprint = requestFingerprint('/items', { a: 1, b: 2 });
    expect(requestFingerprint('/items', { b: 2, a: 1 })).toBe(fingerprint);
    expect(requestFingerprint('/items', { a: 1, b: 3 })).not.toBe(fingerprint);
    expect(requestFingerprint('/items?x=1', { a: 1, b: 2 })).not.toBe(fingerprint);
  });
});

describe('MemoryIdempotencyStore', () => {
  const response = { status: 201, headers: {}, bodyJson: '{"id":1}' };

  it('claims once, completes only under the holder token, and expires records after their TTL', async () => {
    const store = new MemoryIdempotencyStore(100);
    const claim = await store.claim('k', 'fp', 1000);
    expect(claim.state).toBe('claimed');
    expect(await store.claim('k', 'fp', 1000)).toEqual({ state: 'in-flight', fingerprint: 'fp' });
    await store.complete('k', 'not-the-holder', 'fp', response, 1000);
    expect((await store.claim('k', 'fp', 1000)).state).toBe('in-flight');
    await store.complete('k', (claim as { token: string }).token, 'fp', response, 30);
    expect(await store.claim('k', 'fp', 1000)).toEqual({ state: 'completed', fingerprint: 'fp', response });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await store.claim('k', 'fp', 1000)).state).toBe('claimed');
  });

  it('releases a claim for its holder only, and keeps at most maxEntries records (least recently used dropped)', async () => {
    const store = new MemoryIdempotencyStore(2);
    const claim = (await store.claim('a', 'fp', 1000)) as { token: string };
    await store.release('a', 'someone-else');
    expect((await store.claim('a', 'fp', 1000)).state).toBe('in-flight');
    await store.release('a', claim.token);
    expect((await store.claim('a', 'fp', 1000)).state).toBe('claimed');
    await store.claim('b', 'fp', 1000);
    await store.claim('c', 'fp', 1000);
    expect((await store.claim('a', 'fp', 1000)).state).toBe('claimed'); // 'a' was the least recently used: dropped
  });
});
