import { z } from 'zod';
import type { AppConfig } from '../config/app-config';
import { envInt, envNumber } from '../config/env';
import type { EnvSource } from '../config/settings-block';
import type { UpstreamSettings } from './upstream-settings';

/** The per-upstream variables: `UPSTREAM_<NAME><suffix>`, longest suffixes first so `_CONNECT_TIMEOUT_SECONDS` is not read as `_TIMEOUT_SECONDS`. */
const SUFFIXES = {
  _CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: envNumber(0.1, 600),
  _CIRCUIT_BREAKER_FAILURES: envInt(1, 1000),
  _CONNECT_TIMEOUT_SECONDS: envNumber(0.01, 60),
  _TIMEOUT_SECONDS: envNumber(0.01, 600),
  _READINESS_PATH: z
    .string()
    .trim()
    .regex(/^\/[^?#\s]*$/, { message: 'must be a path starting with "/", without query' }),
  _READINESS: z.enum(['none', 'non-critical', 'critical'], { message: 'must be one of none, non-critical, critical' }),
  _CONNECTIONS: envInt(1, 1024),
  _MAX_RESPONSE_BYTES: envInt(1, 1024 * 1024 * 1024),
  _RETRIES: envInt(0, 10),
  _URL: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
    .refine((value) => !/[?#]/.test(value), { message: 'must not have a query or fragment' }),
} as const;

type Suffix = keyof typeof SUFFIXES;
const ORDERED = Object.keys(SUFFIXES) as Suffix[];
const NAME = /^[A-Z][A-Z0-9_]{0,62}$/;

/** One upstream's variables as set, parsed (unset ones take the defaults in {@link resolveUpstreams}). */
export type UpstreamVariables = { name: string } & { [S in Suffix]?: z.output<(typeof SUFFIXES)[S]> };

/**
 * Reads the `UPSTREAM_<NAME>_*` variables of `source`: the upstreams they
 * declare, and one problem line per bad or unknown variable (a URL's value
 * is never echoed: it may hold credentials).
 */
export function readUpstreamVariables(source: EnvSource): { upstreams: UpstreamVariables[]; problems: string[] } {
  const byName = new Map<string, Map<Suffix, string>>();
  const problems: string[] = [];
  for (const [variable, value] of Object.entries(source)) {
    if (!variable.startsWith('UPSTREAM_') || value === undefined || value === '') continue;
    const suffix = ORDERED.find((candidate) => variable.endsWith(candidate));
    const name = suffix && variable.slice('UPSTREAM_'.length, -suffix.length);
    if (!suffix || !name || !NAME.test(name)) {
      problems.push(
        `${variable}: not an upstream setting (UPSTREAM_<NAME>_URL, _CONNECT_TIMEOUT_SECONDS, _TIMEOUT_SECONDS, _RETRIES, _CONNECTIONS, _MAX_RESPONSE_BYTES, _CIRCUIT_BREAKER_FAILURES, _CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS, _READINESS, _READINESS_PATH)`,
      );
      continue;
    }
    const values = byName.get(name) ?? new Map<Suffix, string>();
    values.set(suffix, value);
    byName.set(name, values);
  }
  const upstreams: UpstreamVariables[] = [];
  for (const [name, values] of byName) {
    const parsed = parseUpstream(name, values, problems);
    if (parsed) upstreams.push(parsed);
  }
  return { upstreams, problems };
}

/** The upstreams' settings by name: their own variables over the `HTTP_CLIENT_*` and `CIRCUIT_BREAKER_*` defaults. */
export function resolveUpstreams(
  upstreams: UpstreamVariables[],
  config: Pick<AppConfig, 'httpClient' | 'circuitBreaker'>,
): Record<string, UpstreamSettings> {
  return Object.fromEntries(upstreams.map((variables) => [variables.name, withDefaults(variables, config)]));
}

function parseUpstream(name: string, values: Map<Suffix, string>, problems: string[]): UpstreamVariables | undefined {
  const parsed: Record<string, unknown> = { name: name.toLowerCase() };
  let valid = true;
  if (!values.has('_URL')) {
    problems.push(`UPSTREAM_${name}_URL: required, as other UPSTREAM_${name}_* variables are set`);
    valid = false;
  }
  for (const [suffix, value] of values) {
    const result = SUFFIXES[suffix].safeParse(value);
    if (result.success) parsed[suffix] = result.data;
    else {
      const shown = suffix === '_URL' ? '' : ` (got "${value}")`;
      problems.push(`UPSTREAM_${name}${suffix}: ${result.error.issues[0]?.message ?? 'invalid'}${shown}`);
      valid = false;
    }
  }
  return valid ? (parsed as UpstreamVariables) : undefined;
}

function withDefaults(parsed: UpstreamVariables, config: Pick<AppConfig, 'httpClient' | 'circuitBreaker'>): UpstreamSettings {
  const defaults = config.httpClient.defaults;
  return {
    name: parsed.name,
    url: new URL(parsed._URL!),
    connectTimeoutSeconds: parsed._CONNECT_TIMEOUT_SECONDS ?? defaults.connectTimeoutSeconds,
    timeoutSeconds: parsed._TIMEOUT_SECONDS ?? defaults.timeoutSeconds,
    retries: parsed._RETRIES ?? defaults.retries,
    connections: parsed._CONNECTIONS ?? defaults.connections,
    maxResponseBytes: parsed._MAX_RESPONSE_BYTES ?? defaults.maxResponseBytes,
    circuitBreakerFailures: parsed._CIRCUIT_BREAKER_FAILURES ?? config.circuitBreaker.failures,
    circuitBreakerHalfOpenAfterSeconds: parsed._CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS ?? config.circuitBreaker.halfOpenAfterSeconds,
    readiness: parsed._READINESS ?? 'none',
    readinessPath: parsed._READINESS_PATH ?? '/',
  };
}
