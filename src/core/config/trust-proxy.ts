import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Fastify's `trustProxy` value: `false` (off), or addresses and CIDR ranges
 * (compiled by proxy-addr, which Fastify uses).
 *
 * `true` (trust every hop) is deliberately not offered: with it any client
 * picks its own address by sending `X-Forwarded-For`. Hop counts are not
 * offered either: since Fastify 5.12 a number trusts nothing, because a hop
 * count cannot tell a proxy from a client that connects directly
 * (Fastify's `trustProxy` reference).
 */
export type TrustProxy = false | string[];

/** proxy-addr's named ranges (https://github.com/jshttp/proxy-addr#proxyaddrreq-trust). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const OFF = new Set(['', 'false', 'off', 'no', '0']);
const SPOOFABLE = new Set(['true', 'on', 'yes', '*', 'all']);

/**
 * Parses `TRUST_PROXY`: `false`/unset, or a comma-separated list of the
 * proxies' addresses and ranges such as `10.0.0.0/8,127.0.0.1,loopback`
 * (`uniquelocal`: every private range, for proxies inside a cluster).
 * Used as a zod transform.
 */
export function trustProxyValue(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (OFF.has(value)) return false;
  if (SPOOFABLE.has(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'trusting every proxy lets any client spoof X-Forwarded-For; give a hop count or a CIDR list',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'a hop count cannot tell a proxy from a client (Fastify 5.12 trusts nothing with one); list the proxies’ addresses or ranges, e.g. uniquelocal',
    });
    return z.NEVER;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be addresses/CIDRs or a proxy-addr range name (bad: ${bad.join(', ')})` });
    return z.NEVER;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
