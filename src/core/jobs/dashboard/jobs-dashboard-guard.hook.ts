import type { CanActivate, ExceptionFilter } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { onRequestHookHandler } from 'fastify';
import { JobsDashboardAccess } from './jobs-dashboard.access';

/**
 * An `onRequest` hook that runs the chassis's global guards (authentication,
 * then the per-principal rate limit) for Fastify routes outside Nest, as if
 * they were a handler of {@link JobsDashboardAccess}: same token verification,
 * same 401/403/429/503 problems. The refusal is rendered here by `filter` (the
 * problem+json filter): the plugin behind the hook has its own error handler.
 */
export function jobsDashboardGuardHook(guards: readonly CanActivate[], filter: ExceptionFilter): onRequestHookHandler {
  return async (request, reply) => {
    const context = new ExecutionContextHost([request, reply], JobsDashboardAccess, JobsDashboardAccess.prototype.route);
    context.setType('http');
    try {
      for (const guard of guards) await guard.canActivate(context);
    } catch (error) {
      filter.catch(error, context);
      return reply;
    }
  };
}
