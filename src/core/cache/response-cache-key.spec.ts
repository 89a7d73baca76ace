import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { normalizeQuery, responseCacheKey } from './response-cache-key';

function request(url: string, principal?: Partial<Principal>): FastifyRequest {
  return { url, routeOptions: { url: '/things/:id' }, principal } as unknown as FastifyRequest;
}

describe('response cache key', () => {
  it('sorts the query by name, keeping the order of repeated values', () => {
    expect(normalizeQuery('b=2&a=1&c=x%20y')).toBe('a=1&b=2&c=x+y');
    expect(normalizeQuery('tag=z&tag=a&id=1')).toBe('id=1&tag=z&tag=a');
    expect(normalizeQuery('')).toBe('');
  });

  it('starts with the route template and includes the path and query', () => {
    expect(responseCacheKey(request('/things/42?b=2&a=1'))).toBe('http:/things/:id|/things/42?a=1&b=2|anonymous');
  });

  it('differs per principal (issuer and subject) and from anonymous', () => {
    const alice = responseCacheKey(request('/things/1', { issuer: 'https://a', subject: 'alice' }));
    const bob = responseCacheKey(request('/things/1', { issuer: 'https://a', subject: 'bob' }));
    const aliceElsewhere = responseCacheKey(request('/things/1', { issuer: 'https://b', subject: 'alice' }));
    const anonymous = responseCacheKey(request('/things/1'));
    expect(new Set([alice, bob, aliceElsewhere, anonymous]).size).toBe(4);
    expect(alice).toBe('http:/things/:id|/things/1?|principal:https%3A%2F%2Fa:alice');
  });
});
