import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { envInt, envList } from '../config/env';
import { readPemOrFile } from '../config/pem';
import { DEVELOPMENT_JWT_SECRET, keySettingsGiven } from './auth-settings.rules';
import { defaultAlgorithmForKey, JWT_ALGORITHMS, keySupportsAlgorithm, type JwtAlgorithm } from './jwt-algorithms';
import { parsePublicKey, PrivateKeyGivenError } from './jwt-public-key';
import type { SliceOf } from '../config/settings-block';

/**
 * The authentication variables (docs/authentication.md). Exactly one key
 * mode: a shared secret, a static public key or a JWKS URI; none set means
 * the development secret (refused in production). Rules between variables:
 * `auth-settings.rules.ts`.
 */
export const authVariables = z.object({
  /** Shared HMAC secret (secret mode). Never log it. */
  AUTH_JWT_SECRET: z
    .string()
    .refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { message: 'must be at least 32 bytes (256 bits)' })
    .optional(),
  /** PEM text (SPKI public key or X.509 certificate) or a path to a PEM file (public-key mode); a bad key stops the boot. */
  AUTH_JWT_PUBLIC_KEY: z.string().trim().optional(),
  /** Where the identity provider publishes its keys (jwks mode). */
  AUTH_JWKS_URI: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), { message: 'must be an http(s):// URL' })
    .optional(),
  /** Accepted `alg` values, all of one family. Default: HS256 for a secret, RS256 for JWKS, the key's own for a static key. */
  AUTH_JWT_ALGORITHMS: envList()
    .pipe(z.array(z.enum(JWT_ALGORITHMS)).min(1, { message: 'must list at least one algorithm' }))
    .optional(),
  /** Accepted `iss` values; unset: not checked (refused in production). */
  AUTH_JWT_ISSUER: envList().pipe(z.array(z.string()).min(1)).optional(),
  /** Accepted `aud` values (any one must match); unset: not checked (refused in production). */
  AUTH_JWT_AUDIENCE: envList().pipe(z.array(z.string()).min(1)).optional(),
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. */
  AUTH_CLOCK_TOLERANCE_SECONDS: envInt(0, 300).default(30),
  /** Claim holding the roles: a top-level name, or a dot path such as `realm_access.roles`. */
  AUTH_ROLES_CLAIM: z.string().trim().min(1).default('roles'),
  /** Longer bearer tokens are refused before any parsing. */
  AUTH_MAX_TOKEN_BYTES: envInt(256, 65536).default(8192),
  /** Entries of the verified-token cache; 0 disables it. */
  AUTH_VERIFIED_TOKEN_CACHE_SIZE: envInt(0, 1_000_000).default(10_000),
  /** How long a fetched key set is trusted before it is refetched. */
  AUTH_JWKS_CACHE_TTL_SECONDS: envInt(1, 86_400).default(600),
  /** Minimum time between two fetches (an unknown `kid`, a failed fetch). */
  AUTH_JWKS_COOLDOWN_SECONDS: envInt(0, 3600).default(30),
  /** Hard cap on fetches in any 60-second window. */
  AUTH_JWKS_REQUESTS_PER_MINUTE: envInt(1, 600).default(10),
  /** How long past its TTL the last good key set is still used while the provider is unreachable. */
  AUTH_JWKS_GRACE_PERIOD_SECONDS: envInt(0, 7 * 86_400).default(3600),
  /** Total deadline of a fetch (connect, headers and body), in seconds. */
  AUTH_JWKS_TIMEOUT_SECONDS: envInt(1, 60).default(5),
  /** Largest accepted JWKS body, in bytes (default 1 MiB); a larger answer is a failed fetch. */
  AUTH_JWKS_MAX_BYTES: envInt(1024, 64 * 1024 * 1024).default(1024 * 1024),
});

/** The authentication variables as parsed, before the transform. */
export type AuthVariables = z.output<typeof authVariables>;

/** Which key setting is given: `secret` (also when none is, the development secret), `public-key` or `jwks`. */
type KeyMode = 'secret' | 'public-key' | 'jwks';

/**
 * The authentication settings, `config.auth`. The mode follows from which key
 * setting is given; a static public key is read and parsed here so a bad one
 * stops the boot (an issue on its variable).
 */
export const authSettings = authVariables.transform((env, ctx) => {
  const [given] = keySettingsGiven(env);
  const mode: KeyMode = given === 'AUTH_JWKS_URI' ? 'jwks' : given === 'AUTH_JWT_PUBLIC_KEY' ? 'public-key' : 'secret';
  const publicKey = mode === 'public-key' ? staticPublicKey(env, ctx) : undefined;
  if (mode === 'public-key' && !publicKey) return z.NEVER;
  const algorithms = env.AUTH_JWT_ALGORITHMS ?? defaultAlgorithms(mode, publicKey?.key, ctx);
  if (!algorithms) return z.NEVER;
  return {
    mode,
    secret: mode === 'secret' ? (env.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET) : undefined,
    /** True when `secret` is the built-in development secret (refused in production). */
    usesDevelopmentSecret: mode === 'secret' && env.AUTH_JWT_SECRET === undefined,
    /** PEM text of the static public key or certificate (public-key mode). */
    publicKeyPem: publicKey?.pem,
    jwksUri: env.AUTH_JWKS_URI,
    algorithms,
    issuers: env.AUTH_JWT_ISSUER,
    audiences: env.AUTH_JWT_AUDIENCE,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    rolesClaim: env.AUTH_ROLES_CLAIM,
    maxTokenBytes: env.AUTH_MAX_TOKEN_BYTES,
    verifiedTokenCacheSize: env.AUTH_VERIFIED_TOKEN_CACHE_SIZE,
    jwks: {
      cacheTtlSeconds: env.AUTH_JWKS_CACHE_TTL_SECONDS,
      cooldownSeconds: env.AUTH_JWKS_COOLDOWN_SECONDS,
      requestsPerMinute: env.AUTH_JWKS_REQUESTS_PER_MINUTE,
      gracePeriodSeconds: env.AUTH_JWKS_GRACE_PERIOD_SECONDS,
      timeoutSeconds: env.AUTH_JWKS_TIMEOUT_SECONDS,
      maxBytes: env.AUTH_JWKS_MAX_BYTES,
    },
  };
});

/** HS256 for a secret, RS256 for JWKS (what most providers sign with), the key's own for a static key. */
function defaultAlgorithms(mode: KeyMode, key: KeyObject | undefined, ctx: z.RefinementCtx): JwtAlgorithm[] | undefined {
  if (mode === 'secret') return ['HS256'];
  if (mode === 'jwks' || !key) return ['RS256'];
  const algorithm = defaultAlgorithmForKey(key);
  if (algorithm) return [algorithm];
  refuse(ctx, 'AUTH_JWT_PUBLIC_KEY', 'unsupported key type (use an RSA, a P-256/384/521 EC or an Ed25519 key)');
  return undefined;
}

/** The static public key: read (inline or from its file), parsed, and fit for every listed algorithm. */
function staticPublicKey(env: AuthVariables, ctx: z.RefinementCtx): { pem: string; key: KeyObject } | undefined {
  let pem: string;
  try {
    pem = readPemOrFile(env.AUTH_JWT_PUBLIC_KEY) ?? '';
  } catch (error) {
    return refuse(ctx, 'AUTH_JWT_PUBLIC_KEY', `cannot read the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let key: KeyObject;
  try {
    key = parsePublicKey(pem);
  } catch (error) {
    return refuse(
      ctx,
      'AUTH_JWT_PUBLIC_KEY',
      error instanceof PrivateKeyGivenError ? error.message : 'is not a PEM public key or certificate',
    );
  }
  const unfit = (env.AUTH_JWT_ALGORITHMS ?? []).filter((algorithm) => !keySupportsAlgorithm(key, algorithm));
  if (unfit.length > 0) {
    return refuse(ctx, 'AUTH_JWT_ALGORITHMS', `${unfit.join(', ')} cannot be verified with this ${key.asymmetricKeyType} key`);
  }
  return { pem, key };
}

/** Reports a problem on `variable` (the loader prints `VARIABLE: message`). */
function refuse(ctx: z.RefinementCtx, variable: string, message: string): undefined {
  ctx.addIssue({ code: 'custom', path: [variable], message });
  return undefined;
}

declare module '../config/app-config' {
  interface AppConfig {
    auth: SliceOf<typeof authSettings>;
  }
}
