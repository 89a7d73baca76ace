import type { Principal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

const principal = (subject: string, expSeconds: number): Principal => ({
  subject,
  issuer: '',
  audience: [],
  scopes: [],
  roles: [],
  claims: { sub: subject, exp: expSeconds },
});

describe('VerifiedTokenCache', () => {
  it('keeps an entry until the token expires, and only for the same key generation', () => {
    const cache = new VerifiedTokenCache(10);
    const key = cache.keyOf('token');
    cache.set(key, principal('a', 100), 1, 50_000);
    expect(cache.get(key, 1, 99_999)?.subject).toBe('a');
    expect(cache.get(key, 2, 60_000)).toBeUndefined();
    cache.set(key, principal('a', 100), 1, 50_000);
    expect(cache.get(key, 1, 100_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never stores an expired token, and evicts the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('old', principal('x', 10), 0, 10_000);
    expect(cache.size).toBe(0);
    cache.set('k1', principal('1', 100), 0, 0);
    cache.set('k2', principal('2', 100), 0, 0);
    cache.set('k3', principal('3', 100), 0, 0);
    expect(cache.get('k1', 0, 0)).toBeUndefined();
    expect(cache.get('k3', 0, 0)?.subject).toBe('3');
  });

  it('stores nothing when disabled, and hashes different tokens differently', () => {
    const cache = new VerifiedTokenCache(0);
    expect(cache.enabled).toBe(false);
    cache.set('k', principal('a', 100), 0, 0);
    expect(cache.size).toBe(0);
    expect(cache.keyOf('a.b.c')).not.toBe(cache.keyOf('a.b.d'));
  });
});
