import { loadConfig } from './load-config';
import { ConfigValidationError } from '../config/config.error';

const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }).http.trustProxy;

describe('TRUST_PROXY', () => {
  it('is off by default and for false-like values', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
  });

  it.each(['1', '2'])('refuses the hop count %s, naming what to give instead', (value) => {
    expect(() => trustProxy(value)).toThrow(/TRUST_PROXY: a hop count cannot tell a proxy from a client.*uniquelocal/);
  });

  it('takes addresses, CIDRs and proxy-addr’s named ranges', () => {
    expect(trustProxy('10.0.0.0/8, 127.0.0.1,fd00::/8,loopback')).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback']);
  });

  it.each(['true', '*', 'yes'])('refuses %s (every client could spoof X-Forwarded-For)', (value) => {
    expect(() => trustProxy(value)).toThrow(/TRUST_PROXY: trusting every proxy/);
  });

  it.each(['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/8', '11'])('refuses %s', (value) => {
    expect(() => trustProxy(value)).toThrow(ConfigValidationError);
  });
});
