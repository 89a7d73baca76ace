import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import type { AppConfig } from '../../config/app-config';
import { ProblemDetailsFilter } from '../../errors/problem-details.filter';
import { METRICS_REGISTRY } from '../../metrics/metrics.tokens';
import { routeRegistryOf } from '../../routing/route-registry';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';
import { JobsEngine } from '../jobs.engine';
import { JobsRegistry } from '../jobs.registry';
import type { BullMqEngine } from '../bullmq/bullmq.engine';
import { jobsDashboardGuardHook } from './jobs-dashboard-guard.hook';

/**
 * Serves Bull Board at `JOBS_DASHBOARD_PATH` when `JOBS_DASHBOARD_ENABLED` and
 * the jobs run on Redis: the declared queues, their jobs by state, retry and
 * removal. Every request under the path (page, static assets, API) passes the
 * chassis's authentication and rate-limit guards and needs the `admin` role.
 * In-process there is nothing to inspect from outside: not served, one info line.
 */
export async function registerJobsDashboard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  if (!config.jobsDashboard.enabled) return;
  const engine = app.get(JobsEngine, { strict: false });
  if (engine.kind !== 'redis') {
    new Logger('Jobs').log('Jobs dashboard not served: the in-process engine has no store to inspect (set REDIS_URL)');
    return;
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when served */
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
  const { FastifyAdapter } = require('@bull-board/fastify') as typeof import('@bull-board/fastify');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { path } = config.jobsDashboard;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(path);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: config.app.serviceName } } });
  const guards = [app.get(JwtAuthGuard, { strict: false }), app.get(RateLimitGuard, { strict: false })];
  const fastify = app.getHttpAdapter().getInstance();
  const filter = new ProblemDetailsFilter(routeRegistryOf(fastify), app.get(METRICS_REGISTRY, { strict: false }));
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', jobsDashboardGuardHook(guards, filter));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: path },
  );
  // The queues exist once the app is up (BullMQ queues are registered when first used).
  fastify.addHook('onReady', async () => {
    const queues = await Promise.all(
      app
        .get(JobsRegistry, { strict: false })
        .all()
        .map((queue) => (engine as BullMqEngine).bullQueue(queue.name)),
    );
    board.setQueues(queues.map((queue) => new BullMQAdapter(queue)));
  });
}
