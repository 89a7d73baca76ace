import { Logger } from '@nestjs/common';
import type { onRequestHookHandler } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { sendProblem, toProblemDetails } from '../errors/problem-details.filter';

/**
 * Decides whether a host name is served: an exact name (`api.example.com`), or
 * any subdomain of a name written with a leading dot (`.example.com` matches
 * `a.example.com`, not `example.com`), as Django's ALLOWED_HOSTS does.
 */
export function hostMatcher(allowedHosts: readonly string[]): (hostname: string) => boolean {
  const exact = new Set(allowedHosts.filter((host) => !host.startsWith('.')));
  const suffixes = allowedHosts.filter((host) => host.startsWith('.'));
  return (hostname) => {
    const host = hostname.toLowerCase();
    return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
  };
}

/**
 * True when the request has more than one `Host` field line: RFC 9112
 * section 3.2 requires a 400. Node keeps only the first in `headers.host`,
 * so a second one could name another host to a proxy or cache that reads the last.
 */
export function hasDuplicateHost(rawHeaders: readonly string[]): boolean {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === 4 && name.toLowerCase() === 'host' && ++hosts > 1) return true;
  }
  return false;
}

/**
 * The host named by an absolute-form request target (`GET http://host/path`),
 * which RFC 9112 section 3.2.2 says a server uses instead of `Host`; undefined
 * for the usual origin-form (`/path`) and `*`; null when the target is not a URL.
 */
export function absoluteFormHost(target: string | undefined): string | null | undefined {
  if (target === undefined || target.startsWith('/') || target === '*') return undefined;
  return URL.canParse(target) ? new URL(target).hostname : null;
}

/** Why a request's host is refused, or undefined when it is served. */
export function hostRefusal(
  rawHeaders: readonly string[],
  target: string | undefined,
  hostname: string,
  isAllowed?: (host: string) => boolean,
): string | undefined {
  if (hasDuplicateHost(rawHeaders)) return 'The request has more than one Host header.';
  if (isAllowed === undefined) return undefined;
  if (!isAllowed(hostname)) return 'The Host header names a host this service does not serve.';
  const targetHost = absoluteFormHost(target);
  if (targetHost === null) return 'The request target is neither a path nor a URL.';
  if (targetHost !== undefined && !isAllowed(targetHost)) return 'The request target names a host this service does not serve.';
  return undefined;
}

/**
 * The `onRequest` hook that refuses, with a 400 problem and before any other chassis check, a
 * request whose `Host` (or, from a trusted proxy, `X-Forwarded-Host`) or
 * absolute-form target is not in ALLOWED_HOSTS, and any request with two
 * `Host` headers (always, ALLOWED_HOSTS set or not). It stops Host-header
 * attacks (poisoned absolute links, cache poisoning, DNS rebinding).
 */
export function allowedHostsHook(config: AppConfig): onRequestHookHandler {
  const isAllowed = config.http.allowedHosts.length === 0 ? undefined : hostMatcher(config.http.allowedHosts);
  const logger = new Logger('AllowedHosts');
  return (request, reply, done) => {
    const refusal = hostRefusal(request.raw.rawHeaders, request.raw.url, request.hostname, isAllowed);
    if (refusal === undefined) return done();
    // Logged with the ids so the client's X-Request-ID finds the line; the host is truncated (it is client input).
    logger.warn(
      {
        requestId: request.id,
        correlationId: request.chassisContext?.correlationId,
        host: String(request.host).slice(0, 255),
        reason: refusal,
      },
      'Request refused: host not allowed',
    );
    sendProblem(reply, toProblemDetails({ status: 400, type: PROBLEM_TYPES.invalidHost, detail: refusal }, request));
  };
}
