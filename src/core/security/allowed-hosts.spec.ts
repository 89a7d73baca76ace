import { absoluteFormHost, hasDuplicateHost, hostMatcher, hostRefusal } from './allowed-hosts';

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

describe('hasDuplicateHost', () => {
  it('is true for two Host field lines whatever their case, false for one', () => {
    expect(hasDuplicateHost(['Host', 'a', 'Accept', '*/*', 'HOST', 'b'])).toBe(true);
    expect(hasDuplicateHost(['host', 'a', 'x-host', 'b'])).toBe(false);
    expect(hasDuplicateHost([])).toBe(false);
  });
});

describe('absoluteFormHost', () => {
  it('reads the host of an absolute-form target only', () => {
    expect(absoluteFormHost('http://Evil.Example:8080/items?x=1')).toBe('evil.example');
    expect(absoluteFormHost('/items')).toBeUndefined();
    expect(absoluteFormHost('*')).toBeUndefined();
    expect(absoluteFormHost('not a url')).toBeNull();
  });
});

describe('hostRefusal', () => {
  const isAllowed = hostMatcher(['api.example.com']);
  it('refuses a duplicate Host even without ALLOWED_HOSTS, and an absolute-form target of another host', () => {
    expect(hostRefusal(['Host', 'api.example.com', 'Host', 'evil.example'], '/', 'api.example.com')).toMatch(/more than one Host/);
    expect(hostRefusal(['Host', 'api.example.com'], 'http://evil.example/items', 'api.example.com', isAllowed)).toMatch(/target names/);
    expect(hostRefusal(['Host', 'api.example.com'], 'http://api.example.com/items', 'api.example.com', isAllowed)).toBeUndefined();
    expect(hostRefusal(['Host', 'evil.example'], 'http://evil.example/items', 'evil.example')).toBeUndefined();
  });
});
