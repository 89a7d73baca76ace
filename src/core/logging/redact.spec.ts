import { redactQuery, redactionPaths } from './redact';

describe('redactQuery', () => {
  it('keeps the path and the keys, and replaces every value', () => {
    expect(redactQuery('/items?limit=5&email=a@b.c&flag')).toBe('/items?limit=[redacted]&email=[redacted]&flag=[redacted]');
  });

  it('leaves a URL without a query as it is', () => {
    expect(redactQuery('/items/42')).toBe('/items/42');
  });
});

describe('redactionPaths', () => {
  it('covers the credential headers at any usual depth, then the configured paths', () => {
    const paths = redactionPaths(['body.password']);
    expect(paths).toEqual(
      expect.arrayContaining(['headers["authorization"]', '*.headers["cookie"]', '*.*.headers["x-api-key"]', '*.headers["set-cookie"]']),
    );
    expect(paths.at(-1)).toBe('body.password');
  });
});
