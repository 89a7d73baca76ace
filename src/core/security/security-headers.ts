import type { onSendHookHandler } from 'fastify';
import type { AppConfig } from '../config/app-config';

/**
 * The headers every API response carries (OWASP Secure Headers Project
 * recommendations for APIs). An API returns data, never a page: nothing may be
 * loaded, framed, or sniffed.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy':
    'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
};

/**
 * The CSP of the Swagger UI pages only: Swagger UI needs its own scripts, its
 * styles (some inline: the page's `<style>` blocks and React's `style`
 * attributes) and `data:` images. Scripts come only from this origin: the page
 * loads its bundle and its options from files, no inline script
 * (test/browser checks the page renders with this policy enforced). Still no
 * framing, no plugins, and requests only to this origin.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** The Strict-Transport-Security value (RFC 6797), or undefined when HSTS is off. */
export function hstsHeader(hsts: AppConfig['security']['hsts']): string | undefined {
  if (!hsts.enabled) return undefined;
  return `max-age=${hsts.maxAgeSeconds}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`;
}

/**
 * The `onSend` hook that sets the security headers on every response.
 *
 * Why not @fastify/helmet: it rebuilds helmet's middleware for every request,
 * while these headers are static strings (see docs/performance.md). `onSend` runs for every reply Fastify sends — handlers, errors,
 * 404s, 413s, 429s, preflights, hook refusals — so none is missed.
 *
 * - `Cache-Control: no-store` unless the route set its own (responses may
 *   hold personal data; a route opts into caching explicitly).
 * - HSTS only when enabled and the request came over HTTPS, directly or per a
 *   trusted proxy's `X-Forwarded-Proto` (`request.protocol`): on plain HTTP
 *   browsers ignore it (RFC 6797 section 8.1).
 * - The Swagger UI routes (OPENAPI_PATH) get the relaxed CSP; nothing else does.
 */
export function securityHeadersHook(config: AppConfig): onSendHookHandler {
  const hsts = hstsHeader(config.security.hsts);
  const isDocs = docsRouteMatcher(config.openApi.enabled ? config.openApi.path : undefined);
  return (request, reply, payload, done) => {
    void reply.headers(API_SECURITY_HEADERS);
    if (isDocs(request.url)) void reply.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    if (hsts !== undefined && request.protocol === 'https') void reply.header('strict-transport-security', hsts);
    done(null, payload);
  };
}

/** Matches the Swagger UI page and its assets (`/docs`, `/docs/`, `/docs/swagger-ui.css`...). */
export function docsRouteMatcher(docsPath: string | undefined): (url: string) => boolean {
  if (docsPath === undefined) return () => false;
  const base = docsPath.replace(/\/+$/, '');
  return (url) => {
    const path = url.split('?', 1)[0];
    return path === base || path.startsWith(`${base}/`);
  };
}
