import { z } from 'zod';
import { APP_IDENTITY } from '../config/app.config';
import { envBoolean } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** OpenAPI (docs/openapi.md), `config.openApi`. */
export const openApiSettings = z
  .object({
    NODE_ENV: APP_IDENTITY.NODE_ENV,
    /** Serve Swagger UI and the document. Default: off in production. */
    OPENAPI_ENABLED: envBoolean().optional(),
    /** Swagger UI path; the document is served at `/openapi.json`. */
    OPENAPI_PATH: z
      .string()
      .regex(/^\/[a-z0-9/_-]*$/, { message: 'must be an absolute path such as /docs' })
      .default('/docs'),
  })
  .transform((env) => ({
    enabled: env.OPENAPI_ENABLED ?? env.NODE_ENV !== 'production',
    path: env.OPENAPI_PATH,
  }));

declare module '../config/app-config' {
  interface AppConfig {
    openApi: SliceOf<typeof openApiSettings>;
  }
}
