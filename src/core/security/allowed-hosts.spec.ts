import { hostMatcher } from './allowed-hosts';

describe('hostMatcher', () => {
  const isAllowed = hostMatcher(['api.example.com', '.internal.example']);

  it('matches exact names case-insensitively', () => {
    expect(isAllowed('api.example.com')).toBe(true);
    expect(isAllowed('API.Example.COM')).toBe(true);
    expect(isAllowed('www.example.com')).toBe(false);
  });

  it('matches subdomains of a dotted entry, not the bare domain or look-alikes', () => {
    expect(isAllowed('a.internal.example')).toBe(true);
    expect(isAllowed('a.b.internal.example')).toBe(true);
    expect(isAllowed('internal.example')).toBe(false);
    expect(isAllowed('evilinternal.example')).toBe(false);
  });
});
