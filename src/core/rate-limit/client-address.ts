import { isIP } from 'node:net';

/** IPv6 clients are grouped by this prefix: one customer's usual allocation (RFC 6177). */
const IPV6_SUBNET_PREFIX_HEXTETS = 4;

/**
 * The address a client is limited by: an IPv4 address as it is; an IPv6
 * address reduced to its /64 (a client picks freely among the 2^64 addresses
 * of its allocation, so limiting each one would not limit it), except the
 * loopback `::1`; an IPv4-mapped IPv6 address as its IPv4 address. The /64 is
 * written in its canonical compressed form (RFC 5952), e.g. `2001:db8:1:2::/64`,
 * the same key @nestjs/throttler's `normalizeIp` gave. Anything else is returned unchanged.
 */
export function clientAddress(ip: string): string {
  const zone = ip.indexOf('%');
  const bare = zone === -1 ? ip : ip.slice(0, zone);
  const version = isIP(bare);
  if (version === 4) return bare;
  const hextets = version === 6 ? toHextets(bare.toLowerCase()) : undefined;
  if (!hextets) return ip;
  const zerosBefore = (end: number) => hextets.slice(0, end).every((hextet) => hextet === 0);
  if (zerosBefore(7) && hextets[7] === 1) return '::1';
  if (zerosBefore(5) && hextets[5] === 0xffff) return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
  const subnet = hextets.map((hextet, index) => (index < IPV6_SUBNET_PREFIX_HEXTETS ? hextet : 0));
  // The WHATWG URL serializer writes IPv6 in RFC 5952's compressed form.
  const compressed = new URL(`http://[${subnet.map((hextet) => hextet.toString(16)).join(':')}]`).hostname.slice(1, -1);
  return `${compressed}/${IPV6_SUBNET_PREFIX_HEXTETS * 16}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 part converted). */
function toHextets(address: string): number[] | undefined {
  let head = address;
  const lastColon = head.lastIndexOf(':');
  const tail = head.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    head = `${head.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const fill = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...new Array<string>(fill).fill('0'), ...rightGroups];
  return groups.length === 8 ? groups.map((group) => parseInt(group, 16)) : undefined;
}
