import type { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Repository } from 'typeorm';
import { isTenantScoped } from '../../../src/core/tenancy/tenant-scoped.decorator';

/**
 * The controllers of tenant-scoped features, by name: those whose module
 * registers the repository of a `@TenantScoped()` entity
 * (`TypeOrmModule.forFeature([...])`, in the module or a module it imports).
 */
export function tenantScopedControllers(app: NestFastifyApplication): Set<string> {
  const names = new Set<string>();
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as Type | undefined;
    if (controller && wrapper.host && holdsTenantScopedRepository(wrapper.host)) names.add(controller.name);
  }
  return names;
}

function holdsTenantScopedRepository(module: Module): boolean {
  return [module, ...module.imports].some(
    (candidate) =>
      candidate !== undefined &&
      [...candidate.providers.values()].some(
        (provider) => provider.instance instanceof Repository && isTenantScoped(provider.instance.metadata.target),
      ),
  );
}

/** The class of a route's `@Body()` parameter, or undefined when it reads no body (or reads one field). */
export function bodyTypeOf(app: NestFastifyApplication, controllerName: string, handlerName: string): Type | undefined {
  const wrapper = app
    .get(DiscoveryService)
    .getControllers()
    .find((candidate) => (candidate.metatype as Type | undefined)?.name === controllerName);
  const controller = wrapper?.metatype as Type | undefined;
  if (!controller) return undefined;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const key = Object.keys(args).find((k) => k.split(':')[0] === String(RouteParamtypes.BODY));
  if (key === undefined || typeof args[key].data === 'string') return undefined;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handlerName) ?? []) as (Type | undefined)[];
  return types[args[key].index];
}
