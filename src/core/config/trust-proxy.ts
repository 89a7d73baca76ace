import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Fastify's `trustProxy` value: `false` (off), a hop count, or addresses and
 * CIDR ranges (compiled by proxy-addr, which Fastify uses).
 *
 * `true` (trust every hop) is deliberately not offered: with it any client
 * picks its own address by sending `X-Forwarded-For`.
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's named ranges (https://github.com/jshttp/proxy-addr#proxyaddrreq-trust). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const OFF = new Set(['', 'false', 'off', 'no', '0']);
const SPOOFABLE = new Set(['true', 'on', 'yes', '*', 'all']);

/**
 * Parses `TRUST_PROXY`: `false`/unset, a hop count (`1` = one proxy in front,
 * e.g. the load balancer), or a comma-separated list such as
 * `10.0.0.0/8,127.0.0.1,loopback`. Used as a zod transform.
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
    const hops = Number(value);
    if (hops > 10) ctx.addIssue({ code: 'custom', message: 'a hop count must be 1-10' });
    return hops;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isAddressOrRange(entry));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must be a hop count or addresses/CIDRs (bad: ${bad.join(', ')})` });
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
