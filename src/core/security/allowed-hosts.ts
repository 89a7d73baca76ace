import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { PROBLEM_TYPES } from '../errors/problem-details';
import { sendProblem, toProblemDetails } from '../errors/problem.filter';

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
 * Layer 3: refuses requests whose `Host` (or, from a trusted proxy,
 * `X-Forwarded-Host`) is not in ALLOWED_HOSTS with a 400 problem, before
 * anything else runs. It stops Host-header attacks (poisoned absolute links,
 * cache poisoning, DNS rebinding). Off when ALLOWED_HOSTS is unset.
 */
export function useAllowedHosts(fastify: FastifyInstance, config: AppConfig): void {
  if (config.http.allowedHosts.length === 0) return;
  const isAllowed = hostMatcher(config.http.allowedHosts);
  const logger = new Logger('AllowedHosts');
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isAllowed(request.hostname)) return done();
    // Logged with the ids so the client's X-Request-ID finds the line; the host is truncated (it is client input).
    logger.warn(
      { requestId: request.id, correlationId: request.correlationId, host: String(request.host).slice(0, 255) },
      'Request refused: host not allowed',
    );
    sendProblem(
      reply,
      toProblemDetails(
        { status: 400, type: PROBLEM_TYPES.invalidHost, detail: 'The Host header names a host this service does not serve.' },
        request,
      ),
    );
  });
}
