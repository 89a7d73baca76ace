import { z } from 'zod';
import { envBoolean } from '../../config/env';
import type { SliceOf } from '../../config/settings-block';

/** The queue dashboard (Bull Board, docs/jobs.md "The dashboard"), `config.jobsDashboard`. */
export const jobsDashboardSettings = z
  .object({
    /** Serve the dashboard (Redis engine only; callers need the `admin` role). Default: off. */
    JOBS_DASHBOARD_ENABLED: envBoolean().default(false),
    /** Where the dashboard is served: its page, static assets and API live under this path. */
    JOBS_DASHBOARD_PATH: z
      .string()
      .regex(/^(\/[a-z0-9_-]+)+$/, { message: 'must be an absolute path without a trailing slash, such as /admin/queues' })
      .default('/admin/queues'),
  })
  .transform((env) => ({
    enabled: env.JOBS_DASHBOARD_ENABLED,
    path: env.JOBS_DASHBOARD_PATH,
  }));

declare module '../../config/app-config' {
  interface AppConfig {
    jobsDashboard: SliceOf<typeof jobsDashboardSettings>;
  }
}
