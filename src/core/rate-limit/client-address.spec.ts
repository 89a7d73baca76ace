import { clientAddress } from './client-address';

describe('clientAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8::/64'],
    ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['2001:0:0:1::5', '2001:0:0:1::/64'],
    ['::1.2.3.4', '::/64'],
    ['not an address', 'not an address'],
  ])('limits %s as %s (IPv6 by /64, the keys @nestjs/throttler gave)', (ip, expected) => {
    expect(clientAddress(ip)).toBe(expected);
  });
});
