import { createApp } from '../../src/app';
import { readDotEnv } from '../../src/core/config/dot-env';
import { routeInventory, type RouteInventoryEntry } from '../../src/core/contract/route-inventory';
import { FeaturesModule } from '../../src/features/features.module';

/**
 * Boots the real app — `createApp`, the builder `main.ts` uses — with this
 * environment (`.env` included, so RATE_LIMIT_POLICIES, BODY_LIMIT_BYTES…
 * are the ones in effect) but on in-memory SQLite, without Redis, a metrics
 * port or logs, reads its route inventory and closes it. Nothing listens.
 */
export async function inspectRoutes(): Promise<RouteInventoryEntry[]> {
  const env = {
    ...readDotEnv(),
    ...process.env,
    DATABASE_URL: 'sqlite::memory:',
    DATABASE_MIGRATIONS_RUN: 'true',
    REDIS_URL: '',
    METRICS_PORT: '',
    LOG_LEVEL: 'silent',
  };
  const app = await createApp({ env });
  try {
    // Plugins (Swagger UI's static files) add their routes when Fastify is ready.
    await app.getHttpAdapter().getInstance().ready();
    return routeInventory(app, { featureRoot: FeaturesModule });
  } finally {
    await app.close();
  }
}
