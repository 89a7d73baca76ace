import { z } from 'zod';
import { envInt } from './env';
import { packageVersion } from './package-version';

export const NODE_ENVS = ['development', 'test', 'production'] as const;

/**
 * The two variables other blocks derive defaults from (a key prefix, the
 * production default of a switch). A block spreads these into its own object
 * so its `.transform()` can read them; they are validated once.
 */
export const APP_IDENTITY = {
  /** Selects environment defaults and the production checks. */
  NODE_ENV: z.enum(NODE_ENVS).default('development'),
  /** Name in logs, metrics, key prefixes and the OpenAPI title. */
  SERVICE_NAME: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
      message: 'must be 1-63 lowercase letters, digits, ".", "_" or "-"',
    })
    .default('nest-chassis'),
};

/** The application block: who the service is and where it listens (`config.app`). */
export const appSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** Listen address; the container image sets `0.0.0.0`. */
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: envInt(1, 65535).default(3000),
    SERVICE_NAME: APP_IDENTITY.SERVICE_NAME,
  })
  .transform((env) => ({
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    serviceName: env.SERVICE_NAME,
    /** From package.json. */
    version: packageVersion(),
  }));
