import { readBearerToken } from './bearer-token';

describe('readBearerToken', () => {
  it('reads a b64token after the case-insensitive Bearer scheme', () => {
    expect(readBearerToken('Bearer abc.def-_~+/.ghi==', 100)).toEqual({ kind: 'token', token: 'abc.def-_~+/.ghi==' });
    expect(readBearerToken('bEaReR   a.b.c ', 100)).toEqual({ kind: 'token', token: 'a.b.c' });
  });

  it('treats no header and other schemes as no credentials', () => {
    expect(readBearerToken(undefined, 100)).toEqual({ kind: 'none' });
    expect(readBearerToken('Basic dXNlcjpwYXNz', 100)).toEqual({ kind: 'none' });
    expect(readBearerToken('Bearerish a.b.c', 100)).toEqual({ kind: 'none' });
  });

  it('refuses malformed and oversized credentials', () => {
    expect(readBearerToken('Bearer', 100).kind).toBe('invalid');
    expect(readBearerToken('Bearer a b', 100).kind).toBe('invalid');
    expect(readBearerToken('Bearer a"b', 100).kind).toBe('invalid');
    expect(readBearerToken(`Bearer ${'a'.repeat(101)}`, 100)).toEqual({ kind: 'invalid', reason: 'token longer than 100 bytes' });
    expect(readBearerToken(`Bearer ${'a'.repeat(100_000)}`, 100)).toEqual({ kind: 'invalid', reason: 'token longer than 100 bytes' });
    expect(readBearerToken(`Bearer ${'a'.repeat(100)}`, 100).kind).toBe('token');
  });
});
