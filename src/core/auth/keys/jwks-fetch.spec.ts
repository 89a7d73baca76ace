import { createServer, type AddressInfo } from 'node:net';
import { generateSigningKey, JwksServer } from '../../../../test/support/jwks-server';
import { fetchJwks, JwksFetchError } from './jwks-fetch';

/** The JWKS fetcher against a real endpoint on 127.0.0.1 that behaves, stalls, oversizes or fails. */
describe('fetchJwks', () => {
  const key = generateSigningKey('k');
  const server = new JwksServer();
  const limits = { timeoutMs: 500, maxBytes: 64 * 1024 };

  beforeAll(async () => server.start());
  afterAll(async () => server.stop());
  beforeEach(() => {
    server.keys = [key.jwk];
    server.fault = 'none';
    server.failing = false;
    server.bytesSent = 0;
  });

  it('returns the key set', async () => {
    expect(await fetchJwks(server.uri, limits)).toEqual({ keys: [key.jwk] });
  });

  it('rejects a body that stalls midway once the total deadline has passed', async () => {
    server.fault = 'stall';
    const startedAt = Date.now();
    await expect(fetchJwks(server.uri, limits)).rejects.toThrow(new JwksFetchError('timed out after 500 ms'));
    expect(Date.now() - startedAt).toBeLessThan(1500);
  });

  it('aborts a body streaming past the cap, long before the server has sent it all', async () => {
    server.fault = 'oversize';
    server.oversizeBytes = 16 * 1024 * 1024;
    await expect(fetchJwks(server.uri, limits)).rejects.toThrow('larger than AUTH_JWKS_MAX_BYTES (65536 bytes)');
    expect(server.bytesSent).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses a body above the cap that declares its Content-Length', async () => {
    server.keys = [key.jwk, key.jwk, key.jwk];
    await expect(fetchJwks(server.uri, { ...limits, maxBytes: 1024 })).rejects.toThrow('larger than AUTH_JWKS_MAX_BYTES (1024 bytes)');
  });

  it('rejects an error status, a malformed body and a refused connection', async () => {
    server.failing = true;
    await expect(fetchJwks(server.uri, limits)).rejects.toThrow('HTTP 500');
    server.failing = false;
    server.keys = 'not a list' as unknown as object[];
    await expect(fetchJwks(server.uri, limits)).rejects.toThrow('no "keys" array');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchJwks(`http://127.0.0.1:${port}/jwks.json`, limits)).rejects.toThrow('fetch failed: ECONNREFUSED');
  });

  it('stops when the outer signal aborts', async () => {
    server.fault = 'stall';
    const outer = new AbortController();
    const fetching = fetchJwks(server.uri, { ...limits, timeoutMs: 10_000, signal: outer.signal });
    setTimeout(() => outer.abort(), 100);
    await expect(fetching).rejects.toThrow('shutting down');
  });
});
