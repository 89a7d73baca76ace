import { Roles } from '../../auth/roles.decorator';

/** The role every dashboard request needs (page, static assets, API). */
export const JOBS_DASHBOARD_ROLE = 'admin';

/**
 * The dashboard's access requirements, declared the way a controller declares
 * them, so the authentication and rate-limit guards read them as for any route:
 * Bull Board's routes are registered on Fastify directly and have no handler of
 * their own.
 */
@Roles(JOBS_DASHBOARD_ROLE)
export class JobsDashboardAccess {
  /** Stands for every dashboard route. */
  route(): void {}
}
