import { z } from 'zod';
import { envBoolean } from '../config/env';
import type { SliceOf } from '../config/settings-block';

/** Conditional requests (docs/safe-writes.md), `config.conditional`. */
export const conditionalSettings = z
  .object({
    /** Refuse PUT/PATCH/DELETE on `@VersionedResource()` routes without If-Match (428). */
    CONDITIONAL_REQUIRE_IF_MATCH: envBoolean().default(false),
  })
  .transform((env) => ({ requireIfMatch: env.CONDITIONAL_REQUIRE_IF_MATCH }));

declare module '../config/app-config' {
  interface AppConfig {
    conditional: SliceOf<typeof conditionalSettings>;
  }
}
